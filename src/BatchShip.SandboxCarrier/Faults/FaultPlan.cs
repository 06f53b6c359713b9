namespace BatchShip.SandboxCarrier.Faults;

/// <summary>The faults to inject, as parsed from BATCHSHIP_SANDBOX_FAULTS. Probabilities are per call.</summary>
public sealed record FaultPlan
{
    public static readonly FaultPlan None = new();

    public TimeSpan Latency { get; init; }
    public TimeSpan Jitter { get; init; }

    /// <summary>With <see cref="LatencyDistribution.Lognormal"/>, the delay 99 calls in 100 stay under
    /// (<see cref="Latency"/> is then the median).</summary>
    public TimeSpan LatencyP99 { get; init; }
    public LatencyDistribution LatencyDistribution { get; init; }

    /// <summary>Calls per second the account accepts, shared by every sandbox process on one ledger; 0 is no cap.</summary>
    public double RateCap { get; init; }

    /// <summary>How many calls the account accepts at once after a quiet spell (the bucket's size); 0 means one second's worth.</summary>
    public int Burst { get; init; }

    /// <summary>A 429 says when to come back (Retry-After), as some gateways do and UPS does not promise.</summary>
    public bool RetryAfter { get; init; }

    /// <summary>Calls this process serves at once; one more is refused with 503. 0 is no limit.</summary>
    public int MaxInflight { get; init; }

    /// <summary>Serve one tool call at a time, the others waiting their turn (matt-hans/ups-mcp blocks inside each call).</summary>
    public bool Sequential { get; init; }
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

/// <summary>How the latency of a call is drawn.</summary>
public enum LatencyDistribution
{
    /// <summary>latency plus a uniform 0..jitter.</summary>
    Fixed,

    /// <summary>Lognormal with latency as its median and latency_p99 as its 99th percentile: most calls near the
    /// median, a long tail of slow ones, as a real carrier API answers.</summary>
    Lognormal,
}
