using BatchShip.Engine.Carriers;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>
/// Every refusal format of the real UPS MCP servers, with what it proves. The rule: a server's refusal before it
/// called UPS, a failed sign-in, a connection never opened and a UPS refusal code are refusals (nothing was made,
/// never look up, never resend blindly); a REQUEST_ERROR without that evidence and bare text stay unknown.
/// </summary>
public sealed class ServerRefusalClassifierTests
{
    public static TheoryData<string, string, bool> Answers => new()
    {
        // text of the tool result, E-code, retryable
        { """Error executing tool create_shipment: {"code": "STRUCTURAL_FIELDS_REQUIRED", "message": "Required fields cannot be collected through a form.", "reason": "structural", "missing": [{"dot_path": "ShipmentRequest.Shipment.ShipmentServiceOptions.InternationalForms", "flat_key": "international_forms", "prompt": "International forms"}]}""", "E-2015", false },
        { """Error executing tool create_shipment: {"code": "ELICITATION_UNSUPPORTED", "reason": "unsupported", "message": "Missing required fields.", "missing": [{"dot_path": "ShipmentRequest.Shipment.ShipTo.Address.City", "flat_key": "ship_to_city", "prompt": "Recipient city"}]}""", "E-2015", false },
        { """Error executing tool create_shipment: {"code": "ELICITATION_DECLINED", "reason": "declined", "message": "User declined to provide the missing fields."}""", "E-2015", false },
        { """Error executing tool create_shipment: {"code": "ELICITATION_CANCELLED", "reason": "cancelled", "message": "User cancelled."}""", "E-2015", false },
        { """Error executing tool create_shipment: {"code": "ELICITATION_MAX_RETRIES", "reason": "max_retries", "message": "Still invalid after 3 attempts."}""", "E-2015", false },
        { """Error executing tool create_shipment: {"code": "ELICITATION_INVALID_RESPONSE", "reason": "validation_errors", "message": "Invalid values."}""", "E-2015", false },
        { """Error executing tool create_shipment: {"code": "MALFORMED_REQUEST", "reason": "malformed_structure", "message": "ShipmentRequest must be an object"}""", "E-4003", false },
        { """Error executing tool create_shipment: {"code": "VALIDATION_ERROR", "message": "Missing required path parameter: version"}""", "E-4003", false },
        { "Error executing tool create_shipment: 1 validation error for create_shipmentArguments\nrequest_body\n  Field required [type=missing, input_value={}, input_type=dict]", "E-4003", false },
        { "MCP error -32602: Input validation error: Invalid arguments for tool shipping_create: [{\"code\": \"invalid_type\", \"expected\": \"number\", \"received\": \"string\", \"path\": [\"weight\"]}]", "E-4003", false },
        { "MCP error -32601: Tool shipping_create not found", "E-4003", false },
        { """Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "401 Client Error: Unauthorized for url: https://wwwcie.ups.com/security/v1/oauth/token"}""", "E-5001", false },
        { """Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "403 Client Error: Forbidden for url: https://onlinetools.ups.com/security/v1/oauth/token"}""", "E-5001", false },
        { "Error executing tool create_shipment: CLIENT_ID and CLIENT_SECRET must be set in environment variables.", "E-5001", false },
        { """Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "HTTPSConnectionPool(host='onlinetools.ups.com', port=443): Max retries exceeded with url: /api/shipments/v2409/ship (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))"}""", "E-3001", true },
        { """Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "HTTPSConnectionPool(host='wwwcie.ups.com', port=443): Max retries exceeded with url: /security/v1/oauth/token (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to resolve 'wwwcie.ups.com' ([Errno -2] Name or service not known)\"))"}""", "E-3001", true },
        { """Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "HTTPSConnectionPool(host='onlinetools.ups.com', port=443): Max retries exceeded with url: /api/shipments/v2409/ship (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno 11001] getaddrinfo failed'))"}""", "E-3001", true },
        { """{"error": "UPS API error", "message": "UPS API Error [120802]: Address Validation Error on ShipTo address"}""", "E-3003", false },
        { """{"error": "UPS API error", "message": "UPS API Error [250002]: Invalid Authentication Information."}""", "E-5001", false },
        { """{"error": "UPS API error", "message": "UPS API Error [400]: Bad Request"}""", "E-3005", false },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void A_refusal_that_proves_nothing_was_made_is_refused_with_its_code(string text, string code, bool retryable)
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true, text);

        var refused = Assert.IsType<CreateOutcome.Refused>(outcome);
        Assert.Equal(code, refused.Error.Error.Code);
        Assert.Equal(retryable, refused.Error.Error.Retryable);
    }

    public static TheoryData<string> Unknowns => new()
    {
        """Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "HTTPSConnectionPool(host='onlinetools.ups.com', port=443): Read timed out. (read timeout=30.0)"}""",
        """Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))"}""",
        """Error executing tool create_shipment: {"code": "REQUEST_ERROR", "message": "500 Server Error: Internal Server Error for url: https://onlinetools.ups.com/api/shipments/v2409/ship"}""",
        "Request timed out",
        "The ship to address is invalid",
        "MCP error -32001: Request timed out",
        """{"error": "UPS API error", "message": "UPS API Error [503]: no healthy upstream"}""",
        """{"error": "UPS API error", "message": "UPS API Error [120001]: The Shipping system is currently unavailable"}""",
        """{"error": "UPS API error", "message": "UPS API Error [999999]: Something new"}""",
    };

    [Theory]
    [MemberData(nameof(Unknowns))]
    public void An_answer_without_evidence_stays_unknown(string text)
    {
        Assert.IsType<CreateOutcome.Unknown>(CarrierOutcomeClassifier.ClassifyCreate(true, text));
    }

    [Fact]
    public void Missing_fields_are_named_in_the_message_and_the_field()
    {
        var outcome = CarrierOutcomeClassifier.ClassifyCreate(true, """
            Error executing tool create_shipment: {"code": "ELICITATION_UNSUPPORTED", "reason": "unsupported", "message": "Missing required fields.",
              "missing": [{"dot_path": "ShipmentRequest.Shipment.ShipTo.Address.City", "flat_key": "ship_to_city", "prompt": "Recipient city"},
                          {"dot_path": "ShipmentRequest.Shipment.ShipTo.Address.StateProvinceCode", "flat_key": "ship_to_state", "prompt": "Recipient state"}]}
            """);

        var error = Assert.IsType<CreateOutcome.Refused>(outcome).Error;
        Assert.Equal("ShipmentRequest.Shipment.ShipTo.Address.City, ShipmentRequest.Shipment.ShipTo.Address.StateProvinceCode", error.Field);
        Assert.Contains("before calling the carrier", error.Message);
        Assert.Contains("ShipmentRequest.Shipment.ShipTo.Address.City (Recipient city)", error.Message);
        Assert.Contains("ShipmentRequest.Shipment.ShipTo.Address.StateProvinceCode (Recipient state)", error.Message);
        Assert.Equal("ELICITATION_UNSUPPORTED", error.CarrierCode);
    }

    [Fact]
    public void A_lookup_refusal_in_shipagent_form_that_finds_nothing_proves_absence()
    {
        var lookup = CarrierOutcomeClassifier.ClassifyLookup(true, """{"error": "UPS API error", "message": "UPS API Error [300007]: No shipment found"}""");

        Assert.IsType<LookupOutcome.NotFound>(lookup);
    }
}
