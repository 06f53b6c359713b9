namespace BatchShip.Engine.Carriers;

/// <summary>How a server words a failed tool call (the profile's <c>errors</c>).</summary>
public enum CarrierErrorFormat
{
    /// <summary>Python servers (matt-hans/ups-mcp, the official one, the sandbox): <c>Error executing tool X: {json}</c>,
    /// pydantic validation text, the server's own codes (REQUEST_ERROR, ELICITATION_...).</summary>
    MattHans,

    /// <summary>roscoej/ups-mcp: bare text (the UPS messages joined) without any code, or a JSON-RPC error's text.</summary>
    TypeScript,

    /// <summary>ShipAgent: <c>{"error": "UPS API error", "message": "UPS API Error [code]: ..."}</c>, or a JSON-RPC error's text.</summary>
    ShipAgent,
}
