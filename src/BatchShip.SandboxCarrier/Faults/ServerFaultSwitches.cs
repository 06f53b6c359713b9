namespace BatchShip.SandboxCarrier.Faults;

/// <summary>
/// The switches that make the sandbox refuse the way a particular UPS MCP server does, kept apart from the
/// gateway and create faults of <see cref="FaultPlanParser"/>.
/// </summary>
public static class ServerFaultSwitches
{
    /// <summary>Every switch with a one-line explanation, for --help.</summary>
    public static readonly IReadOnlyList<(string Switch, string Meaning)> Switches =
    [
        ("server=ups|matt-hans|typescript|shipagent|official", "which server the sandbox imitates: ups (default) matt-hans's tools and error JSON around UPS's codes; matt-hans adds its checks before UPS (ELICITATION_UNSUPPORTED for missing required fields, STRUCTURAL_FIELDS_REQUIRED for a non-US destination without InternationalForms); shipagent offers only ShipAgent's shipping_create (flat arguments, numbers as JSON numbers, PDF labels written beside the ledger and returned as paths, reference never sent, refusals {\"error\":\"UPS API error\",\"message\":\"UPS API Error [code]: ...\"}); typescript offers only roscoej's friendly create_shipment (raw UPS answer, referenceNumber at shipment level, refusals in bare text without a code); official offers only track_package and validate_address (UPS-API/ups-mcp). shipagent and typescript refuse a number sent as a string with \"MCP error -32602: Input validation error: ...\" and ship on UPS_ACCOUNT_NUMBER (default 999AA1)"),
        ("oauth_fail=<p>", "refuse a call as matt-hans does when its OAuth token request is refused: REQUEST_ERROR \"401 Client Error: Unauthorized for url: .../security/v1/oauth/token\"; nothing is created"),
        ("unreachable=<p>", "refuse a call as matt-hans does when UPS cannot be reached: REQUEST_ERROR with NewConnectionError \"Connection refused\"; nothing is created"),
    ];

    /// <summary>Applies one switch of this set, or returns null when the name is not one of them.</summary>
    public static FaultPlan? Apply(FaultPlan plan, string name, string entry, string value) => name switch
    {
        "server" => plan with { Server = Flavour(entry, value) },
        "oauth_fail" => plan with { OAuthFail = FaultPlanParser.Probability(entry, value) },
        "unreachable" => plan with { Unreachable = FaultPlanParser.Probability(entry, value) },
        _ => null,
    };

    private static ServerFlavour Flavour(string entry, string value) => value.ToLowerInvariant() switch
    {
        "ups" => ServerFlavour.Ups,
        "matt-hans" => ServerFlavour.MattHans,
        "typescript" => ServerFlavour.TypeScript,
        "shipagent" => ServerFlavour.ShipAgent,
        "official" => ServerFlavour.Official,
        _ => throw new FaultSpecException(entry, "server takes ups, matt-hans, typescript, shipagent or official"),
    };
}
