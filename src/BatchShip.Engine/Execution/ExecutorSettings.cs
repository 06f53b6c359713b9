namespace BatchShip.Engine.Execution;

/// <summary>Tuning of the executor that is not part of a job (tests shorten the delays).</summary>
public sealed record ExecutorSettings
{
    /// <summary>How many times a request the carrier certainly did not act on (429, 503 "not created") is sent again.</summary>
    // Sending these again is harmless, so the budget is generous: at a 30% rate of 429s, eleven refusals
    // in a row happen to about one row in half a million.
    public int MaxRetries { get; init; } = 10;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between two retries.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the runner renews its lease (at most a quarter of the store's lease timeout).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest a create may wait between its InFlight commit and its send. A runner that finds itself
    /// later than this (it was paused, its machine suspended) does not send at all. With the call timeout it bounds
    /// when a create can still land: a lookup that finds nothing after that proves the row absent.</summary>
    public TimeSpan SendDeadline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a row whose create was proven absent after an unknown outcome is sent again in one run.</summary>
    public int MaxResends { get; init; } = 2;

    /// <summary>The share of failed carrier calls (unavailable or unknown) that opens the circuit.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>How many calls the breaker must have seen in its window before it may open.</summary>
    public int BreakerMinimumThroughput { get; init; } = 10;

    /// <summary>The breaker's window.</summary>
    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit stays open (the job has stopped by then; Resume starts afresh).</summary>
    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called at named steps of the row protocol ("after-inflight") with the row number, on the worker's
    /// thread: tests hold a runner there to freeze it at an exact moment. Null in normal use.</summary>
    public Action<string, long>? StepHook { get; init; }

    /// <summary>Where to die on purpose (crash tests only); null in normal use.</summary>
    public CrashPoint? CrashAt { get; init; }
}
