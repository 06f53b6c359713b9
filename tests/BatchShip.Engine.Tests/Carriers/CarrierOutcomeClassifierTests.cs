using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

public sealed class CarrierOutcomeClassifierTests
{
    // Every UPS code of the catalogue's carrier table, with the entry it must translate to.
    public static TheoryData<string, string> UpsCodes => new()
    {
        { "250002", "E-5001" }, { "250003", "E-5001" }, { "10400", "E-5001" }, { "10401", "E-5002" }, { "10429", "E-3002" },
        { "120100", "E-2007" }, { "120101", "E-2007" }, { "120102", "E-2007" }, { "120103", "E-2007" }, { "120104", "E-2007" },
        { "120105", "E-2007" }, { "120106", "E-2007" }, { "120107", "E-2007" }, { "120108", "E-2007" }, { "120109", "E-2007" },
        { "120110", "E-2007" },
        { "120200", "E-2006" }, { "120202", "E-2006" }, { "120205", "E-2006" }, { "120208", "E-2006" },
        { "120206", "E-2002" }, { "120207", "E-2001" }, { "120209", "E-2003" },
        { "120801", "E-3003" }, { "120802", "E-3003" }, { "120803", "E-3003" },
        { "120500", "E-2008" }, { "120124", "E-3004" }, { "121210", "E-3004" },
        { "120600", "E-2009" }, { "120609", "E-2009" }, { "120601", "E-2004" },
        { "120702", "E-2010" }, { "120703", "E-2010" },
        { "121000", "E-2011" },
        { "120541", "E-2012" }, { "120543", "E-2012" }, { "120544", "E-2012" },
        { "190100", "E-3006" }, { "190101", "E-3010" }, { "190102", "E-3010" },
        { "123456", "E-3005" },
    };

    [Theory]
    [MemberData(nameof(UpsCodes))]
    public void A_4xx_with_a_ups_code_is_a_refusal_translated_through_the_catalogue(string upsCode, string expected)
    {
        var status = upsCode switch { "250002" or "250003" or "10400" or "10401" => 401, "10429" => 429, _ => 400 };

        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true, UpsSamples.PythonError("create_shipment", status, status.ToString(), "refused", upsCode));

        var refused = Assert.IsType<CreateOutcome.Refused>(outcome);
        Assert.Equal(expected, refused.Error.Error.Code);
        Assert.Equal(upsCode, refused.Error.CarrierCode);
        Assert.Contains("refused", refused.Error.Message);
    }

    [Theory]
    [InlineData(401, "E-5001", false)]
    [InlineData(403, "E-5001", false)]
    [InlineData(429, "E-3002", true)]
    [InlineData(400, "E-3005", false)]
    [InlineData(404, "E-3005", false)]
    public void A_4xx_with_only_the_http_code_is_a_refusal(int status, string expected, bool retryable)
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true, UpsSamples.PythonError("create_shipment", status, status.ToString(), "refused"));

        var refused = Assert.IsType<CreateOutcome.Refused>(outcome);
        Assert.Equal(expected, refused.Error.Error.Code);
        Assert.Equal(retryable, refused.Error.Error.Retryable);
    }

    [Fact]
    public void Rate_limiting_is_a_retryable_refusal()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true, UpsSamples.PythonError("create_shipment", 429, "429", "Too Many Requests", "10429"));

        var refused = Assert.IsType<CreateOutcome.Refused>(outcome);
        Assert.Same(ErrorCatalog.RateLimited, refused.Error.Error);
        Assert.True(refused.Error.Error.Retryable);
    }

    [Fact]
    public void A_503_with_120001_states_nothing_was_created_and_is_a_retryable_refusal()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true, UpsSamples.PythonError("create_shipment", 503, "503", "Shipping system unavailable", "120001"));

        var refused = Assert.IsType<CreateOutcome.Refused>(outcome);
        Assert.Same(ErrorCatalog.CarrierUnavailable, refused.Error.Error);
        Assert.True(refused.Error.Error.Retryable);
        Assert.Equal("120001", refused.Error.CarrierCode);
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(502, null)]
    [InlineData(503, null)]
    [InlineData(504, null)]
    [InlineData(503, "190001")]
    [InlineData(500, "120001")]
    public void Any_other_5xx_is_unknown_never_a_refusal(int status, string? upsCode)
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true, UpsSamples.PythonError("create_shipment", status, status.ToString(), "upstream failed", upsCode));

        var unknown = Assert.IsType<CreateOutcome.Unknown>(outcome);
        var cause = Assert.IsType<BatchShipException>(unknown.Cause);
        Assert.Same(ErrorCatalog.CarrierUnavailable, cause.Error);
        Assert.Contains("upstream failed", unknown.Reason);
    }

    [Fact]
    public void A_request_error_is_unknown_because_the_carrier_may_have_shipped()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true,
            """Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "Read timed out."}""");

        var unknown = Assert.IsType<CreateOutcome.Unknown>(outcome);
        Assert.Contains("Read timed out.", unknown.Reason);
    }

    [Fact]
    public void Typescript_plain_text_is_unknown_because_it_proves_nothing()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true, "Invalid ShipTo postal code");

        var unknown = Assert.IsType<CreateOutcome.Unknown>(outcome);
        Assert.Contains("Invalid ShipTo postal code", unknown.Reason);
        Assert.Same(ErrorCatalog.UnknownCarrierError, Assert.IsType<BatchShipException>(unknown.Cause).Error);
    }

    [Fact]
    public void Argument_validation_text_is_a_template_refusal()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true,
            "Error executing tool create_shipment: 1 validation error for create_shipmentArguments\nrequest_body\n  Field required");

        var refused = Assert.IsType<CreateOutcome.Refused>(outcome);
        Assert.Same(ErrorCatalog.Template, refused.Error.Error);
        Assert.Contains("validation error", refused.Error.Message);
    }

    [Theory]
    [InlineData("VALIDATION_ERROR", "E-4003")]
    [InlineData("MALFORMED_REQUEST", "E-4003")]
    [InlineData("ELICITATION_UNSUPPORTED", "E-2015")]
    public void The_servers_own_pre_flight_errors_are_refusals(string code, string expected)
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true,
            $$"""Error executing tool create_shipment: {"code": "{{code}}", "message": "bad request"}""");

        var refused = Assert.IsType<CreateOutcome.Refused>(outcome);
        Assert.Equal(expected, refused.Error.Error.Code);
        Assert.Equal(code, refused.Error.CarrierCode);
    }

    [Fact]
    public void A_success_is_created()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(false, UpsSamples.Shipment(new[] { UpsSamples.Package("1Z999AA10123456784") }));

        var created = Assert.IsType<CreateOutcome.Created>(outcome);
        Assert.Equal("1Z999AA10123456784", created.Shipment.Packages[0].TrackingNumber);
    }

    [Fact]
    public void A_malformed_success_is_unknown_because_the_shipment_may_exist()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(false, """{"ShipmentResponse":{"Response":{"ResponseStatus":{"Code":"1"}}}}""");

        Assert.IsType<CreateOutcome.Unknown>(outcome);
    }

    [Fact]
    public void An_error_text_not_flagged_as_error_is_still_read_as_an_error()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(false, UpsSamples.PythonError("create_shipment", 400, "400", "bad", "120802"));

        Assert.Same(ErrorCatalog.AddressRejected, Assert.IsType<CreateOutcome.Refused>(outcome).Error.Error);
    }

    [Theory]
    [InlineData("300007")]
    [InlineData("300033")]
    public void A_lookup_that_finds_no_live_shipment_is_not_found(string upsCode)
    {
        var outcome = CarrierOutcomeClassifier.ClassifyLookup(true, UpsSamples.PythonError("recover_label", 400, "400", "no label", upsCode));

        Assert.IsType<LookupOutcome.NotFound>(outcome);
    }

    [Theory]
    [InlineData(400, "300005")]
    [InlineData(503, "120001")]
    [InlineData(500, null)]
    public void Any_other_lookup_error_is_unavailable(int status, string? upsCode)
    {
        var outcome = CarrierOutcomeClassifier.ClassifyLookup(true, UpsSamples.PythonError("recover_label", status, status.ToString(), "cannot", upsCode));

        Assert.Contains("cannot", Assert.IsType<LookupOutcome.Unavailable>(outcome).Reason);
    }

    [Fact]
    public void A_lookup_success_is_found()
    {
        const string json = """{"LabelRecoveryResponse":{"LabelResults":{"TrackingNumber":"1Z5R89390357567127","LabelImage":{"LabelImageFormat":{"Code":"GIF"},"GraphicImage":"UEsDBBQ="}}}}""";

        var found = Assert.IsType<LookupOutcome.Found>(CarrierOutcomeClassifier.ClassifyLookup(false, json));

        Assert.Equal("1Z5R89390357567127", found.Shipment.Packages[0].TrackingNumber);
    }

    [Fact]
    public void An_unreadable_lookup_success_is_unavailable()
    {
        Assert.IsType<LookupOutcome.Unavailable>(CarrierOutcomeClassifier.ClassifyLookup(false, "{}"));
    }
}
