using BatchShip.Engine.Carriers;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>Values a carrier returns end up in a CSV a clerk opens in a spreadsheet: anything that is not plainly a
/// tracking number, an id, a currency or an amount is not taken as a success.</summary>
public sealed class CarrierValueRulesTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"1Z\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("1Z999AA1;0123456784")]
    [InlineData("-1Z999AA10123456784")]
    [InlineData("@SUM(1)")]
    [InlineData("1Z 999")]
    [InlineData("1Z999AA10123456784\t")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")] // 36 characters
    public void A_tracking_number_that_is_not_1_to_35_letters_and_digits_is_an_unknown_outcome(string tracking)
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(false, UpsSamples.Shipment(new[] { UpsSamples.Package(tracking) }));
        var unknown = Assert.IsType<CreateOutcome.Unknown>(outcome);
        Assert.Contains("tracking number", unknown.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_shipment_id_that_could_be_a_formula_is_an_unknown_outcome()
    {
        var json = UpsSamples.Shipment(new[] { UpsSamples.Package("1Z999AA10123456784") }).Replace("\"1Z999AA10123456784\",\"ShipmentCharges\"", "\"+1+cmd|x\",\"ShipmentCharges\"", StringComparison.Ordinal);
        Assert.Contains("+1+cmd|x", json, StringComparison.Ordinal);
        Assert.IsType<CreateOutcome.Unknown>(CarrierOutcomeClassifier.ClassifyCreate(false, json));
    }

    [Theory]
    [InlineData("-2+3")]
    [InlineData("US")]
    [InlineData("usd")]
    [InlineData("=USD")]
    public void A_currency_that_is_not_three_capital_letters_is_an_unknown_outcome(string currency) =>
        Assert.IsType<CreateOutcome.Unknown>(CarrierOutcomeClassifier.ClassifyCreate(false,
            UpsSamples.Shipment(new[] { UpsSamples.Package("1Z999AA10123456784") }, currency: currency)));

    [Theory]
    [InlineData("-12.29")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void A_cost_below_zero_or_not_a_number_is_an_unknown_outcome(string total) =>
        Assert.IsType<CreateOutcome.Unknown>(CarrierOutcomeClassifier.ClassifyCreate(false,
            UpsSamples.Shipment(new[] { UpsSamples.Package("1Z999AA10123456784") }, total: total)));

    [Fact]
    public void A_lookup_that_finds_a_formula_is_no_proof_of_anything()
    {
        var json = """{"LabelRecoveryResponse": {"LabelResults": [{"TrackingNumber": "=1+1", "LabelImage": {"GraphicImage": "R0lGODlhAQABAAAAACw="}}]}}""";
        Assert.IsType<LookupOutcome.Unavailable>(CarrierOutcomeClassifier.ClassifyLookup(false, json));
    }

    [Fact]
    public void Plain_values_still_make_a_shipment()
    {
        var created = Assert.IsType<CreateOutcome.Created>(CarrierOutcomeClassifier.ClassifyCreate(false,
            UpsSamples.Shipment(new[] { UpsSamples.Package("1Z999AA10123456784") }, total: "0", currency: "EUR")));
        Assert.Equal(0m, created.Shipment.Cost);
        Assert.Equal("EUR", created.Shipment.Currency);
    }
}
