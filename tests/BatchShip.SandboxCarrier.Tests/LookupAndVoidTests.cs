using System.Globalization;
using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Tests.Infrastructure;

namespace BatchShip.SandboxCarrier.Tests;

[Collection(SharedSandboxCollection.Name)]
public sealed class LookupAndVoidTests(SharedSandbox shared)
{
    private SandboxClient Sandbox => shared.Sandbox;

    private async Task<(string Reference, string ShipmentId, JsonNode Results)> CreateAsync(int packages = 1)
    {
        var reference = "L" + Guid.NewGuid().ToString("N")[..12];
        var reply = await Sandbox.CreateAsync(Requests.Ship(reference, packages: packages));
        var results = reply.Ok["ShipmentResponse"]!["ShipmentResults"]!;
        return (reference, (string)results["ShipmentIdentificationNumber"]!, results);
    }

    private Task<ToolReply> VoidAsync(string id) =>
        Sandbox.CallAsync("void_shipment", new Dictionary<string, object?> { ["shipmentidentificationnumber"] = id });

    private Task<ToolReply> TrackAsync(string number) =>
        Sandbox.CallAsync("track_package", new Dictionary<string, object?> { ["inquiryNumber"] = number });

    [Fact]
    public async Task Void_succeeds_and_voiding_again_is_idempotent()
    {
        var (_, id, _) = await CreateAsync();

        var first = await VoidAsync(id);
        var second = await VoidAsync(id);

        Assert.Equal("1", (string)first.Ok["VoidShipmentResponse"]!["SummaryResult"]!["Status"]!["Code"]!);
        Assert.Equal("Voided", (string)first.Ok["VoidShipmentResponse"]!["SummaryResult"]!["Status"]!["Description"]!);
        Assert.Equal("1", (string)second.Ok["VoidShipmentResponse"]!["SummaryResult"]!["Status"]!["Code"]!);
        Assert.Equal("Already Voided", (string)second.Ok["VoidShipmentResponse"]!["SummaryResult"]!["Status"]!["Description"]!);
        var entry = Assert.Single(BatchShip.SandboxCarrier.Ledger.ShipmentLedger.ReadAll(Sandbox.LedgerPath), s => s.ShipmentId == id);
        Assert.True(entry.Voided);
        Assert.Single(File.ReadAllLines(Sandbox.LedgerPath), l => l.Contains("\"type\":\"void\"", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Voiding_an_unknown_shipment_is_refused_with_190100()
    {
        var reply = await VoidAsync("1Z999AA10123456784");
        reply.AssertRefused(400, "190100");
    }

    [Fact]
    public async Task Track_knows_created_and_voided_packages_and_not_strangers()
    {
        var (_, id, results) = await CreateAsync(packages: 2);
        var second = (string)results["PackageResults"]![1]!["TrackingNumber"]!;

        var tracked = await TrackAsync(second);
        var package = tracked.Ok["trackResponse"]!["shipment"]![0]!["package"]![0]!;
        Assert.Equal(second, (string)package["trackingNumber"]!);
        Assert.Equal("MP", (string)package["currentStatus"]!["code"]!);

        await VoidAsync(id);
        var afterVoid = await TrackAsync(second);
        Assert.Equal("Voided", (string)afterVoid.Ok["trackResponse"]!["shipment"]![0]!["package"]![0]!["currentStatus"]!["simplifiedTextDescription"]!);

        var unknown = await TrackAsync("1Z999AA10123456784");
        unknown.AssertRefused(404, "151044");
    }

    [Fact]
    public async Task Recover_label_by_reference_returns_ids_and_labels_but_no_charges()
    {
        var (reference, id, results) = await CreateAsync(packages: 2);

        var reply = await Sandbox.RecoverByReferenceAsync(reference);

        var recovered = reply.Ok["LabelRecoveryResponse"]!;
        Assert.Equal(id, (string)recovered["ShipmentIdentificationNumber"]!);
        var labels = recovered["LabelResults"]!.AsArray();
        Assert.Equal(
            results["PackageResults"]!.AsArray().Select(p => (string)p!["TrackingNumber"]!),
            labels.Select(l => (string)l!["TrackingNumber"]!));
        Assert.All(labels, l => ImageDecoders.DecodeGif(Convert.FromBase64String((string)l!["LabelImage"]!["GraphicImage"]!)));
        // As UPS's LabelRecoveryResponse: no charges, so a recovered shipment's cost is unknown to the client.
        Assert.Null(recovered["ShipmentCharges"]);
        Assert.Null(recovered["NegotiatedRateCharges"]);
    }

    [Fact]
    public async Task Recover_label_by_tracking_number_and_in_another_format()
    {
        var (_, id, _) = await CreateAsync();
        var reply = await Sandbox.CallAsync("recover_label", new Dictionary<string, object?>
        {
            ["request_body"] = SandboxClient.ToElement(new JsonObject
            {
                ["LabelRecoveryRequest"] = new JsonObject
                {
                    ["Request"] = new JsonObject(),
                    ["LabelSpecification"] = new JsonObject { ["LabelImageFormat"] = new JsonObject { ["Code"] = "PNG" } },
                    ["TrackingNumber"] = id,
                },
            }),
        });
        var label = reply.Ok["LabelRecoveryResponse"]!["LabelResults"]![0]!["LabelImage"]!;
        Assert.Equal("PNG", (string)label["LabelImageFormat"]!["Code"]!);
        ImageDecoders.DecodePng(Convert.FromBase64String((string)label["GraphicImage"]!));
    }

    [Fact]
    public async Task Recover_label_refuses_unknown_voided_and_keyless_requests()
    {
        (await Sandbox.RecoverByReferenceAsync("NO-SUCH-" + Guid.NewGuid().ToString("N")[..8])).AssertRefused(400, "300007");

        var (reference, id, _) = await CreateAsync();
        await VoidAsync(id);
        (await Sandbox.RecoverByReferenceAsync(reference)).AssertRefused(400, "300033");

        var keyless = await Sandbox.CallAsync("recover_label", new Dictionary<string, object?>
        {
            ["request_body"] = SandboxClient.ToElement(new JsonObject
            {
                ["LabelRecoveryRequest"] = new JsonObject { ["Request"] = new JsonObject(), ["LabelSpecification"] = new JsonObject() },
            }),
        });
        keyless.AssertRefused(400, "300005");
    }

    [Theory]
    [InlineData("Request")]
    [InlineData("LabelSpecification")]
    public async Task Recover_label_refuses_a_body_without_the_containers_ups_requires(string left)
    {
        var reference = "NOSPEC-" + left;
        Assert.False((await Sandbox.CreateAsync(Requests.Ship(reference))).IsError);
        var request = new JsonObject
        {
            ["Request"] = new JsonObject(),
            ["LabelSpecification"] = new JsonObject { ["LabelImageFormat"] = new JsonObject { ["Code"] = "GIF" } },
            ["ReferenceValues"] = new JsonObject { ["ReferenceNumber"] = new JsonObject { ["Value"] = reference }, ["ShipperNumber"] = Requests.ShipperNumber },
        };
        request.Remove(left);

        var reply = await Sandbox.CallAsync("recover_label", new Dictionary<string, object?>
        {
            ["request_body"] = SandboxClient.ToElement(new JsonObject { ["LabelRecoveryRequest"] = request }),
        });

        reply.AssertRefused(400, "10002");
        Assert.Contains($"LabelRecoveryRequest.{left} is required", reply.Text);
    }

    [Fact]
    public async Task Rate_prices_like_create_and_shop_lists_every_domestic_service()
    {
        var rate = await Sandbox.CallAsync("rate_shipment", new Dictionary<string, object?>
        {
            ["requestoption"] = "Rate",
            ["request_body"] = SandboxClient.ToElement(Requests.Rate("03")),
        });
        var rated = rate.Ok["RateResponse"]!["RatedShipment"]!.AsArray();
        var ground = Assert.Single(rated)!;
        Assert.Equal("03", (string)ground["Service"]!["Code"]!);
        Assert.Equal("rate-1", (string)rate.Ok["RateResponse"]!["Response"]!["TransactionReference"]!["CustomerContext"]!);

        // The same shipment, created, costs what it was rated at.
        var created = await Sandbox.CreateAsync(Requests.Ship("RATECHK" + Guid.NewGuid().ToString("N")[..6]));
        Assert.Equal(
            (string)ground["TotalCharges"]!["MonetaryValue"]!,
            (string)created.Ok["ShipmentResponse"]!["ShipmentResults"]!["ShipmentCharges"]!["TotalCharges"]!["MonetaryValue"]!);

        var shop = await Sandbox.CallAsync("rate_shipment", new Dictionary<string, object?>
        {
            ["requestoption"] = "Shop",
            ["request_body"] = SandboxClient.ToElement(Requests.Rate("99")),
        });
        var services = shop.Ok["RateResponse"]!["RatedShipment"]!.AsArray().Select(s => (string)s!["Service"]!["Code"]!).ToList();
        Assert.Equal(new[] { "01", "02", "03", "12", "13", "14", "59" }, services.Order(StringComparer.Ordinal));
        var prices = shop.Ok["RateResponse"]!["RatedShipment"]!.AsArray()
            .ToDictionary(s => (string)s!["Service"]!["Code"]!, s => decimal.Parse((string)s!["TotalCharges"]!["MonetaryValue"]!, CultureInfo.InvariantCulture));
        Assert.True(prices["01"] > prices["03"], "next day air must cost more than ground");
    }

    [Fact]
    public async Task Rate_refuses_an_unknown_service_and_option()
    {
        var rate = await Sandbox.CallAsync("rate_shipment", new Dictionary<string, object?>
        {
            ["requestoption"] = "Rate",
            ["request_body"] = SandboxClient.ToElement(Requests.Rate("99")),
        });
        rate.AssertRefused(400, "120500");

        var option = await Sandbox.CallAsync("rate_shipment", new Dictionary<string, object?>
        {
            ["requestoption"] = "Cheapest",
            ["request_body"] = SandboxClient.ToElement(Requests.Rate()),
        });
        Assert.True(option.IsError);
        Assert.Contains("validation error", option.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WA", "98101", "ValidAddressIndicator", 1)]
    [InlineData("NY", "98101", "AmbiguousAddressIndicator", 2)]
    [InlineData("ZZ", "ABCDE", "NoCandidatesIndicator", 0)]
    public async Task Validate_address_answers_valid_ambiguous_or_no_candidates(string state, string zip, string indicator, int candidates)
    {
        var reply = await Sandbox.CallAsync("validate_address", new Dictionary<string, object?>
        {
            ["addressLine1"] = "22 Pike St",
            ["politicalDivision1"] = state,
            ["politicalDivision2"] = "Seattle",
            ["zipPrimary"] = zip,
            ["countryCode"] = "US",
        });
        var xav = reply.Ok["XAVResponse"]!.AsObject();
        Assert.True(xav.ContainsKey(indicator), xav.ToJsonString());
        Assert.Equal(candidates, xav["Candidate"]?.AsArray().Count ?? 0);
        if (candidates == 1)
        {
            var key = xav["Candidate"]![0]!["AddressKeyFormat"]!;
            Assert.Equal("98101", (string)key["PostcodePrimaryLow"]!);
            Assert.Equal("WA", (string)key["PoliticalDivision1"]!);
            Assert.Equal("22 PIKE ST", (string)key["AddressLine"]![0]!);
        }
    }
}
