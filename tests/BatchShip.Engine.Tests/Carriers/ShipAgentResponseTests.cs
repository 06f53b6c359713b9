using System.Text.Json;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>ShipAgent's shipping_create answer, and how each error format reads a refusal.</summary>
public sealed class ShipAgentResponseTests : IDisposable
{
    private readonly TempFolder _labels = new();

    public void Dispose() => _labels.Dispose();

    private string Answer(string[] tracking, string[] labelPaths, string total = "12.29") => JsonSerializer.Serialize(new
    {
        success = true,
        trackingNumbers = tracking,
        labelPaths,
        totalCharges = new { currencyCode = "USD", monetaryValue = total },
        shipmentIdentificationNumber = "1Z999AA10123456784",
    }, new JsonSerializerOptions { WriteIndented = true });

    [Fact]
    public void Maps_the_exact_shipagent_answer_with_labels_read_from_the_server_s_files()
    {
        var first = Path.Combine(_labels.Path, "1Z999AA10123456784.pdf");
        var second = Path.Combine(_labels.Path, "1Z12345E6605272234.pdf");
        File.WriteAllBytes(first, [0x25, 0x50, 0x44, 0x46, 1]);
        File.WriteAllBytes(second, [0x25, 0x50, 0x44, 0x46, 2]);

        var outcome = CarrierOutcomeClassifier.ClassifyCreate(false,
            Answer(["1Z999AA10123456784", "1Z12345E6605272234"], [first, second]), response: CarrierResponseFormat.ShipAgent);

        var shipment = Assert.IsType<CreateOutcome.Created>(outcome).Shipment;
        Assert.Equal("1Z999AA10123456784", shipment.ShipmentId);
        Assert.Equal(12.29m, shipment.Cost);
        Assert.Equal("USD", shipment.Currency);
        Assert.Equal(["1Z999AA10123456784", "1Z12345E6605272234"], shipment.Packages.Select(p => p.TrackingNumber));
        Assert.Equal("PDF", shipment.Packages[0].LabelFormat);
        Assert.Equal(new byte[] { 0x25, 0x50, 0x44, 0x46, 2 }, shipment.Packages[1].LabelImage);
    }

    [Fact]
    public void A_label_file_over_the_limit_or_missing_makes_the_outcome_unknown_not_a_refusal()
    {
        var big = Path.Combine(_labels.Path, "big.pdf");
        File.WriteAllBytes(big, new byte[2048]);

        var tooBig = CarrierOutcomeClassifier.ClassifyCreate(false, Answer(["1Z999AA10123456784"], [big]), 1024, CarrierResponseFormat.ShipAgent);
        Assert.Contains("limit", Assert.IsType<CreateOutcome.Unknown>(tooBig).Reason);

        var missing = CarrierOutcomeClassifier.ClassifyCreate(false,
            Answer(["1Z999AA10123456784"], [Path.Combine(_labels.Path, "none.pdf")]), response: CarrierResponseFormat.ShipAgent);
        Assert.IsType<CreateOutcome.Unknown>(missing);
    }

    [Fact]
    public void A_ups_answer_read_as_shipagent_is_not_a_success()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(false, """{"ShipmentResponse": {}}""", response: CarrierResponseFormat.ShipAgent);
        Assert.IsType<CreateOutcome.Unknown>(outcome);
    }

    [Fact]
    public void A_shipagent_refusal_is_read_with_its_ups_code()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true,
            """{"error": "UPS API error", "message": "UPS API Error [120802]: Address Validation Error on ShipTo address"}""",
            errors: CarrierErrorFormat.ShipAgent);
        var refused = Assert.IsType<CreateOutcome.Refused>(outcome);
        Assert.Same(ErrorCatalog.AddressRejected, refused.Error.Error);
    }

    [Fact]
    public void A_typescript_server_s_bare_text_proves_nothing_even_when_it_quotes_a_code()
    {
        // roscoej's text is the carrier's words; a code-like part in it was not written by the server as a code.
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true, "UPS API Error [120802]: Address Validation Error",
            errors: CarrierErrorFormat.TypeScript);
        Assert.IsType<CreateOutcome.Unknown>(outcome);

        var shape = CarrierOutcomeClassifier.ClassifyCreate(true, "MCP error -32602: Input validation error: weight Expected number",
            errors: CarrierErrorFormat.TypeScript);
        Assert.Same(ErrorCatalog.Template, Assert.IsType<CreateOutcome.Refused>(shape).Error.Error);
    }
}
