using BatchShip.Engine.Carriers;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

public sealed class CarrierErrorReaderTests
{
    [Fact]
    public void Reads_the_ups_code_from_a_python_json_error()
    {
        var error = CarrierErrorReader.Read(UpsSamples.PythonError("create_shipment", 400, "400", "Invalid Ship To address", "120802", "Address Validation Error on ShipTo address"));

        Assert.Equal(CarrierErrorKind.Carrier, error.Kind);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("400", error.Code);
        Assert.Equal("120802", error.UpsCode);
        Assert.Equal("120802", error.CarrierCode);
        Assert.Contains("Invalid Ship To address", error.Message);
        Assert.Contains("Address Validation Error on ShipTo address", error.Message);
    }

    [Fact]
    public void Reads_the_retry_after_a_server_passes_on_with_a_429()
    {
        var error = CarrierErrorReader.Read("""Error executing tool create_shipment: {"status_code": 429, "code": "429", "message": "Too Many Requests", "details": {"response": {"errors": [{"code": "10429", "message": "Too Many Requests"}]}, "headers": {"Retry-After": "3"}}}""");
        var without = CarrierErrorReader.Read("""Error executing tool create_shipment: {"status_code": 429, "code": "429", "message": "Too Many Requests"}""");

        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.Null(without.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), Assert.IsType<CreateOutcome.Refused>(CarrierOutcomeClassifier.ClassifyCreateError(error)).RetryAfter);
    }

    [Fact]
    public void Reads_a_python_json_error_with_only_the_http_code()
    {
        var error = CarrierErrorReader.Read("""Error executing tool create_shipment: {"code": "502", "message": "UPS API returned HTTP 502"}""");

        Assert.Equal(CarrierErrorKind.Carrier, error.Kind);
        Assert.Equal(502, error.HttpStatus);
        Assert.Null(error.UpsCode);
        Assert.Equal("502", error.CarrierCode);
        Assert.Equal("UPS API returned HTTP 502", error.Message);
    }

    [Fact]
    public void Reads_a_request_error()
    {
        var error = CarrierErrorReader.Read("""Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "Read timed out. (read timeout=30.0)"}""");

        Assert.Equal(CarrierErrorKind.Request, error.Kind);
        Assert.Equal("REQUEST_ERROR", error.CarrierCode);
        Assert.Equal("Read timed out. (read timeout=30.0)", error.Message);
    }

    [Theory]
    [InlineData("VALIDATION_ERROR")]
    [InlineData("MALFORMED_REQUEST")]
    public void Reads_the_servers_own_shape_errors(string code)
    {
        var error = CarrierErrorReader.Read($$"""Error executing tool create_shipment: {"code": "{{code}}", "message": "request_body.ShipmentRequest is required"}""");

        Assert.Equal(CarrierErrorKind.RequestShape, error.Kind);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Reads_an_elicitation_error_with_the_missing_fields()
    {
        var error = CarrierErrorReader.Read("""
            Error executing tool create_shipment: {"code": "ELICITATION_UNSUPPORTED", "message": "Missing required fields.",
              "missing": [{"dot_path": "ShipmentRequest.Shipment.ShipTo.Phone.Number", "flat_key": "ship_to_phone", "prompt": "Phone"}]}
            """);

        Assert.Equal(CarrierErrorKind.MissingInput, error.Kind);
        Assert.Contains("ShipmentRequest.Shipment.ShipTo.Phone.Number", error.Message);
    }

    [Fact]
    public void Reads_argument_validation_text()
    {
        var error = CarrierErrorReader.Read("""
            Error executing tool create_shipment: 1 validation error for create_shipmentArguments
            request_body
              Field required [type=missing, input_value={}, input_type=dict]
            """);

        Assert.Equal(CarrierErrorKind.RequestShape, error.Kind);
        Assert.StartsWith("1 validation error for create_shipmentArguments", error.Message);
        Assert.Null(error.CarrierCode);
    }

    [Fact]
    public void Reads_typescript_plain_text_as_unstructured()
    {
        var error = CarrierErrorReader.Read("The ship to address is invalid");

        Assert.Equal(CarrierErrorKind.Unstructured, error.Kind);
        Assert.Equal("The ship to address is invalid", error.Message);
        Assert.Null(error.HttpStatus);
        Assert.Null(error.CarrierCode);
    }

    [Fact]
    public void Reads_a_raw_ups_error_body()
    {
        var error = CarrierErrorReader.Read("""{"response":{"errors":[{"code":"250002","message":"Invalid Authentication Information."}]}}""");

        Assert.Equal(CarrierErrorKind.Carrier, error.Kind);
        Assert.Equal("250002", error.UpsCode);
        Assert.Equal("Invalid Authentication Information.", error.Message);
    }
}
