namespace BatchShip.SandboxCarrier.Faults;

/// <summary>The faults to inject, as parsed from BATCHSHIP_SANDBOX_FAULTS. Probabilities are per call.</summary>
public sealed record FaultPlan
{
    public static readonly FaultPlan None = new();

    public TimeSpan Latency { get; init; }
    public TimeSpan Jitter { get; init; }
    public double RateLimit { get; init; }
    public double ServerError { get; init; }
    public double AuthFail { get; init; }
    public IReadOnlyList<InjectedCode> FailCodes { get; init; } = [];
    public double CrashAfterCreate { get; init; }
    public double HangAfterCreate { get; init; }
    public double ErrorAfterCreate { get; init; }
    public bool LookupOff { get; init; }

    /// <summary>recover_label by reference answers with the newest live shipment, whatever its reference: a buggy or
    /// lying carrier, for tests that a client checks what a lookup found.</summary>
    public bool LookupLies { get; init; }

    /// <summary>Which UPS MCP server's refusals the sandbox imitates.</summary>
    public ServerFlavour Server { get; init; }

    /// <summary>matt-hans's REQUEST_ERROR for a refused OAuth token request, per call.</summary>
    public double OAuthFail { get; init; }

    /// <summary>matt-hans's REQUEST_ERROR for a connection to UPS that was refused, per call.</summary>
    public double Unreachable { get; init; }
}
