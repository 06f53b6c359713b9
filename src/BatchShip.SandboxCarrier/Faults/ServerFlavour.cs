namespace BatchShip.SandboxCarrier.Faults;

/// <summary>Which real UPS MCP server the sandbox imitates when it refuses a call.</summary>
public enum ServerFlavour
{
    /// <summary>matt-hans/ups-mcp's error JSON around UPS's own validation (the default): no checks before "UPS".</summary>
    Ups,

    /// <summary>matt-hans/ups-mcp with its own checks before it calls UPS: missing required fields answer
    /// ELICITATION_UNSUPPORTED and a non-US destination without InternationalForms STRUCTURAL_FIELDS_REQUIRED.</summary>
    MattHans,

    /// <summary>roscoej/ups-mcp: a refusal is bare text, UPS's messages joined, without a code.</summary>
    TypeScript,

    /// <summary>ShipAgent's TypeScript server: {"error": "UPS API error", "message": "UPS API Error [code]: ..."}.</summary>
    ShipAgent,

    /// <summary>UPS-API/ups-mcp, the official server: it offers only track_package and validate_address, no create.</summary>
    Official,
}
