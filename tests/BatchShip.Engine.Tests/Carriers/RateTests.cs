using System.Text.Json.Nodes;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Quotes;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>Quotes: the rate request derived from a rendered ship request, the reading of rate answers, and rates
/// against the real sandbox carrier over stdio.</summary>
public sealed class RateTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private string Ledger => Path.Combine(_folder.Path, "ledger.jsonl");

    public void Dispose() => _folder.Dispose();

    private static string Reference() => "BS-R-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public void Derives_a_RateRequest_with_the_rating_names_and_without_what_does_not_price()
    {
        var args = JsonNode.Parse(RateArguments.FromCreateArguments(ShipRequests.Ground("BS-X-1")))!;

        Assert.Equal("Rate", (string?)args["requestoption"]);
        var request = args["request_body"]!["RateRequest"]!;
        Assert.Equal("BS-X-1", (string?)request["Request"]!["TransactionReference"]!["CustomerContext"]);
        var shipment = request["Shipment"]!;
        Assert.Equal("03", (string?)shipment["Service"]!["Code"]);
        Assert.Equal("94105", (string?)shipment["ShipTo"]!["Address"]!["PostalCode"]);
        Assert.Null(shipment["ShipTo"]!["Phone"]);
        Assert.Equal(SandboxCarrierProcess.ShipperNumber, (string?)shipment["Shipper"]!["ShipperNumber"]);
        Assert.NotNull(shipment["PaymentDetails"]!["ShipmentCharge"]);
        Assert.Null(shipment["PaymentInformation"]);
        Assert.Null(shipment["Description"]);
        var package = shipment["Package"]!.AsArray().Single()!;
        Assert.Equal("02", (string?)package["PackagingType"]!["Code"]);
        Assert.Null(package["Packaging"]);
        Assert.Null(package["ReferenceNumber"]);
        Assert.Equal("5", (string?)package["PackageWeight"]!["Weight"]);
    }

    [Fact]
    public void Keeps_the_api_version_the_template_asks_for()
    {
        var create = JsonNode.Parse(ShipRequests.Ground("BS-X-2"))!.AsObject();
        create["version"] = "v2409";

        var args = JsonNode.Parse(RateArguments.FromCreateArguments(create.ToJsonString()))!;

        Assert.Equal("v2409", (string?)args["version"]);
    }

    [Fact]
    public void Refuses_rendered_arguments_without_a_ShipmentRequest_as_a_template_error()
    {
        var e = Assert.Throws<BatchShipException>(() => RateArguments.FromCreateArguments("""{"request_body": {"Other": {}}}"""));

        Assert.Equal(ErrorCatalog.Template, e.Error);
        Assert.Contains("ShipmentRequest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_the_negotiated_total_service_and_transit_days_of_a_rate_answer()
    {
        const string answer = """
            {"RateResponse": {"RatedShipment": [{"Service": {"Code": "03", "Description": "UPS Ground"},
              "TotalCharges": {"CurrencyCode": "USD", "MonetaryValue": "20.00"},
              "NegotiatedRateCharges": {"TotalCharge": {"CurrencyCode": "USD", "MonetaryValue": "16.40"}},
              "GuaranteedDelivery": {"BusinessDaysInTransit": "4"}}]}}
            """;

        var rated = Assert.IsType<RateOutcome.Rated>(CarrierOutcomeClassifier.ClassifyRate(false, answer)).Rate;

        Assert.Equal(16.40m, rated.Cost);
        Assert.Equal("USD", rated.Currency);
        Assert.Equal("03", rated.ServiceCode);
        Assert.Equal("UPS Ground", rated.ServiceName);
        Assert.Equal(4, rated.BusinessDaysInTransit);
    }

    [Fact]
    public void A_rate_answer_without_a_price_is_a_refusal_not_a_quote()
    {
        var refused = Assert.IsType<RateOutcome.Refused>(CarrierOutcomeClassifier.ClassifyRate(false, """{"RateResponse": {"RatedShipment": []}}"""));

        Assert.Equal(ErrorCatalog.UnknownCarrierError, refused.Error.Error);
    }

    [Fact]
    public void Totals_only_the_rows_a_run_would_buy_one_total_per_currency()
    {
        RowQuote Row(long n, decimal? cost, string currency = "USD", string? shippedBy = null) =>
            new(n, [], cost is null ? null : new RatedShipment("03", "UPS Ground", cost.Value, currency, null),
                cost is null ? new BatchShipException(ErrorCatalog.AddressRejected, "no") : null, shippedBy);

        var quote = new BatchQuote([Row(1, 10.10m), Row(2, 5.05m), Row(3, null), Row(4, 99m, shippedBy: "job a row 1"), Row(5, 7m, "cad")]);

        Assert.Equal([new QuoteTotal("CAD", 7m, 1), new QuoteTotal("USD", 15.15m, 2)], quote.Totals);
        Assert.Equal((4L, 1L, 1L, 3L), (quote.Quoted, quote.Failed, quote.AlreadyShipped, quote.WouldShip));
        Assert.Equal("7.00 CAD + 15.15 USD", quote.TotalText);
        Assert.Equal(new QuoteTotal("USD", 15.15m, 2), quote.Exceeding(10m));
        Assert.Null(quote.Exceeding(15.15m));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task The_sandbox_quotes_what_its_create_then_charges_and_the_quote_creates_nothing()
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger), CancellationToken.None);
        var request = ShipRequests.Ground(Reference());

        var rated = Assert.IsType<RateOutcome.Rated>(await session.RateAsync(RateArguments.FromCreateArguments(request), CancellationToken.None)).Rate;
        Assert.False(File.Exists(Ledger) && File.ReadAllText(Ledger).Trim().Length > 0, "a quote must not be recorded as a shipment");
        var created = Assert.IsType<CreateOutcome.Created>(await session.CreateShipmentAsync(request, CancellationToken.None)).Shipment;

        Assert.True(rated.Cost > 0m);
        Assert.Equal(created.Cost, rated.Cost);
        Assert.Equal(created.Currency, rated.Currency);
        Assert.Equal("03", rated.ServiceCode);
        Assert.NotNull(rated.BusinessDaysInTransit);
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("rate_limit=1", "E-3002", true)]
    [InlineData("auth_fail=1", "E-5001", false)]
    public async Task Maps_a_refused_rate_through_the_catalogue(string faults, string expected, bool retryable)
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger, faults), CancellationToken.None);

        var refused = Assert.IsType<RateOutcome.Refused>(
            await session.RateAsync(RateArguments.FromCreateArguments(ShipRequests.Ground(Reference())), CancellationToken.None));

        Assert.Equal(expected, refused.Error.Error.Code);
        Assert.Equal(retryable, refused.Error.Error.Retryable);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_carrier_without_the_profiles_rate_tool_cannot_quote()
    {
        var profile = SandboxCarrierProcess.Profile(Ledger) with { RateTool = "no_such_tool" };
        await using var session = await McpCarrierSession.StartAsync(profile, CancellationToken.None);

        var refused = Assert.IsType<RateOutcome.Refused>(
            await session.RateAsync(RateArguments.FromCreateArguments(ShipRequests.Ground(Reference())), CancellationToken.None));

        Assert.Equal(ErrorCatalog.CannotQuote, refused.Error.Error);
        Assert.Contains("no_such_tool", refused.Error.Message, StringComparison.Ordinal);
    }
}
