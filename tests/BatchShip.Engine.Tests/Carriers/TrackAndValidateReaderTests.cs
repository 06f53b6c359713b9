using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>Reading the UPS Track and Address Validation answers, and the ship-to address of a rendered request.</summary>
public sealed class TrackAndValidateReaderTests
{
    [Fact]
    public void A_delivered_package_carries_its_delivery_scan_time_in_UTC()
    {
        const string answer = """
            {"trackResponse": {"shipment": [{"inquiryNumber": "1Z5R89390357567127", "package": [{
              "trackingNumber": "1Z5R89390357567127",
              "deliveryDate": [{"type": "DEL", "date": "20250304"}],
              "deliveryTime": {"type": "DEL", "endTime": "143000"},
              "currentStatus": {"type": "D", "code": "011", "description": "DELIVERED", "simplifiedTextDescription": "Delivered"},
              "activity": [{"status": {"type": "D", "description": "DELIVERED"}, "date": "20250304", "time": "143000",
                            "gmtDate": "20250304", "gmtTime": "19:30:00", "gmtOffset": "-05:00"}]}]}]}}
            """;

        var tracked = Assert.IsType<TrackOutcome.Tracked>(TrackResponseReader.Read(false, answer));

        Assert.Equal("Delivered", tracked.Status);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 19, 30, 0, TimeSpan.Zero), tracked.DeliveredAt);
    }

    [Fact]
    public void Without_a_delivery_scan_the_DEL_date_and_time_are_used()
    {
        const string answer = """
            {"trackResponse": {"shipment": [{"package": [{"deliveryDate": [{"type": "DEL", "date": "20250304"}],
              "deliveryTime": {"type": "DEL", "endTime": "143000"},
              "currentStatus": {"type": "D", "description": "DELIVERED"}}]}]}}
            """;

        var tracked = Assert.IsType<TrackOutcome.Tracked>(TrackResponseReader.Read(false, answer));
        Assert.Equal("DELIVERED", tracked.Status);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 14, 30, 0, TimeSpan.Zero), tracked.DeliveredAt);
    }

    [Fact]
    public void A_package_on_its_way_has_no_delivery_time_and_a_shipment_without_package_is_E3012()
    {
        var moving = Assert.IsType<TrackOutcome.Tracked>(TrackResponseReader.Read(false,
            """{"trackResponse": {"shipment": [{"package": [{"currentStatus": {"type": "I", "description": "On the Way"}}]}]}}"""));
        Assert.Null(moving.DeliveredAt);

        var none = Assert.IsType<TrackOutcome.Failed>(TrackResponseReader.Read(false,
            """{"trackResponse": {"shipment": [{"inquiryNumber": "1Z", "warnings": [{"code": "TW0001", "message": "Tracking Information Not Found"}]}]}}"""));
        Assert.Equal(ErrorCatalog.TrackingFailed, none.Error.Error);
        Assert.Contains("Tracking Information Not Found", none.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_official_server_error_text_is_a_failure_with_the_carrier_code()
    {
        const string text = """Error executing tool validate_address: {"status_code": 401, "code": "401", "message": "Unauthorized", "details": {"response": {"errors": [{"code": "250002", "message": "Invalid Authentication Information."}]}}}""";
        var failed = Assert.IsType<AddressValidationOutcome.Failed>(AddressValidationReader.Read(true, text));
        Assert.Equal(ErrorCatalog.AuthenticationFailed, failed.Error.Error);
        Assert.Equal("250002", failed.Error.CarrierCode);
    }

    [Fact]
    public void Ambiguous_candidates_are_described_for_a_person_to_pick()
    {
        const string answer = """
            {"XAVResponse": {"AmbiguousAddressIndicator": "", "Candidate": {"AddressKeyFormat": {"AddressLine": "12 ELM ST",
              "PoliticalDivision2": "BOSTON", "PoliticalDivision1": "MA", "PostcodePrimaryLow": "02134", "PostcodeExtendedLow": "1234", "CountryCode": "US"}}}}
            """;
        var ambiguous = Assert.IsType<AddressValidationOutcome.Ambiguous>(AddressValidationReader.Read(false, answer));
        Assert.Equal(["12 ELM ST, BOSTON MA 02134-1234 US"], ambiguous.Candidates);
    }

    [Fact]
    public void The_ship_to_address_is_read_from_a_rendered_request()
    {
        var address = AddressCheck.ShipToOf(ShipRequests.Ground("BS-T-1"));
        Assert.NotNull(address);
        Assert.NotEmpty(address.Lines);
        Assert.Equal("US", address.CountryCode);
        Assert.Null(AddressCheck.ShipToOf("""{"shipment": {"to": "somewhere"}}"""));
    }

    [Fact]
    public void The_validation_arguments_split_a_ZIP_plus_four()
    {
        var arguments = ToolArguments.AddressValidation(new AddressToValidate(["1 Main St", "Suite 2"], "Boston", "MA", "02134-1234", "US"));
        Assert.Equal("02134", arguments["zipPrimary"]);
        Assert.Equal("1234", arguments["zipExtended"]);
        Assert.Equal("Suite 2", arguments["addressLine2"]);
        Assert.Equal("MA", arguments["politicalDivision1"]);
        Assert.Equal("Boston", arguments["politicalDivision2"]);
    }
}
