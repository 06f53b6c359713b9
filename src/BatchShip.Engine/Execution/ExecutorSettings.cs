namespace BatchShip.Engine.Execution;

/// <summary>Tuning of the executor that is not part of a job (tests shorten the delays).</summary>
public sealed record ExecutorSettings
{
    /// <summary>How many times a request the carrier certainly did not act on (429, 503 "not created") is sent again.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between two retries.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the runner renews its lease.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How many times a row whose create was proven absent after an unknown outcome is sent again in one run.</summary>
    public int MaxResends { get; init; } = 2;

    /// <summary>Where to die on purpose (crash tests only); null in normal use.</summary>
    public CrashPoint? CrashAt { get; init; }
}
