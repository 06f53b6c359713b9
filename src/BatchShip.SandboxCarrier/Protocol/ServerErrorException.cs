using System.Text.Json.Nodes;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>Thrown inside tools to end the call with the server's own error JSON (matt-hans/ups-mcp's REQUEST_ERROR,
/// ELICITATION_UNSUPPORTED, STRUCTURAL_FIELDS_REQUIRED ...): the refusals a server makes without UPS's answer.</summary>
public sealed class ServerErrorException(JsonObject payload) : Exception(payload["message"]?.GetValue<string>() ?? "server error")
{
    public JsonObject Payload { get; } = payload;

    /// <summary>matt-hans: <c>{"code": "REQUEST_ERROR", "message": str(requests exception)}</c>.</summary>
    public static ServerErrorException RequestError(string message) =>
        new(new JsonObject { ["code"] = "REQUEST_ERROR", ["message"] = message });
}
