using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

public sealed class VoidClassifierTests
{
    private static string VoidResponse(string description) =>
        "{\"VoidShipmentResponse\":{\"Response\":{\"ResponseStatus\":{\"Code\":\"1\",\"Description\":\"Success\"}},"
        + "\"SummaryResult\":{\"Status\":{\"Code\":\"1\",\"Description\":\"" + description + "\"}}}}";

    [Fact]
    public void A_success_status_is_voided()
    {
        var outcome = Assert.IsType<VoidOutcome.Voided>(CarrierOutcomeClassifier.ClassifyVoid(false, VoidResponse("Voided")));

        Assert.False(outcome.AlreadyVoided);
    }

    [Fact]
    public void Already_voided_is_a_success_not_an_error()
    {
        Assert.True(Assert.IsType<VoidOutcome.Voided>(CarrierOutcomeClassifier.ClassifyVoid(false, VoidResponse("Already Voided"))).AlreadyVoided);
        var coded = CarrierOutcomeClassifier.ClassifyVoid(true, UpsSamples.PythonError("void_shipment", 400, "400", "already voided", "190117"));
        Assert.True(Assert.IsType<VoidOutcome.Voided>(coded).AlreadyVoided);
    }

    [Theory]
    [InlineData("190100", "E-3006")]
    [InlineData("190101", "E-3010")]
    [InlineData("190102", "E-3010")]
    public void A_refusal_is_translated_through_the_catalogue(string upsCode, string expected)
    {
        var outcome = CarrierOutcomeClassifier.ClassifyVoid(true, UpsSamples.PythonError("void_shipment", 400, "400", "no", upsCode));

        var refused = Assert.IsType<VoidOutcome.Refused>(outcome);
        Assert.Equal(expected, refused.Error.Error.Code);
        Assert.Equal(upsCode, refused.Error.CarrierCode);
    }

    [Fact]
    public void The_void_system_down_with_503_is_a_refusal_to_try_again()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyVoid(true, UpsSamples.PythonError("void_shipment", 503, "503", "Void system unavailable", "190001"));

        Assert.Same(ErrorCatalog.CarrierUnavailable, Assert.IsType<VoidOutcome.Refused>(outcome).Error.Error);
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(502, null)]
    public void A_server_failure_is_unknown_never_a_refusal(int status, string? upsCode)
    {
        var outcome = CarrierOutcomeClassifier.ClassifyVoid(true, UpsSamples.PythonError("void_shipment", status, status.ToString(), "boom", upsCode));

        Assert.IsType<VoidOutcome.Unknown>(outcome);
    }

    [Fact]
    public void An_answer_without_a_success_status_is_unknown()
    {
        Assert.IsType<VoidOutcome.Unknown>(CarrierOutcomeClassifier.ClassifyVoid(false, """{"VoidShipmentResponse":{}}"""));
        Assert.IsType<VoidOutcome.Unknown>(CarrierOutcomeClassifier.ClassifyVoid(false, "not json"));
    }

    [Fact]
    public void A_lookup_of_a_voided_shipment_says_voided_and_a_missing_one_does_not()
    {
        var voided = CarrierOutcomeClassifier.ClassifyLookup(true, UpsSamples.PythonError("recover_label", 400, "400", "voided", "300033"));
        var missing = CarrierOutcomeClassifier.ClassifyLookup(true, UpsSamples.PythonError("recover_label", 400, "400", "none", "300007"));

        Assert.True(Assert.IsType<LookupOutcome.NotFound>(voided).Voided);
        Assert.False(Assert.IsType<LookupOutcome.NotFound>(missing).Voided);
    }
}
