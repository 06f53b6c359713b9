using BatchShip.SandboxCarrier.Protocol;

namespace BatchShip.SandboxCarrier.Faults;

/// <summary>
/// Decides per call which fault strikes. One seeded random source, drawn in a fixed order under a
/// lock, so a given seed and call sequence always produce the same faults.
/// </summary>
public sealed class FaultInjector(FaultPlan plan, Random random, TimeProvider time, AccountRateCap? rateCap = null)
{
    // z of the 99th percentile of the standard normal distribution.
    private const double Z99 = 2.3263478740408408;
    private readonly Lock _lock = new();
    private int _inflight;

    public FaultPlan Plan { get; } = plan;

    /// <summary>
    /// Faults that sit in front of every tool, like a gateway would: concurrency and rate limits (answered at once,
    /// nothing done), then the call's latency (an asynchronous wait, so one process serves many calls at once), auth,
    /// random 429s. Dispose the result when the call ends: it holds one of max_inflight's places.
    /// </summary>
    public async Task<IDisposable> BeforeAnyToolAsync(CancellationToken cancellationToken)
    {
        var place = new InflightPlace(this);
        try
        {
            if (Plan.MaxInflight > 0 && place.Count > Plan.MaxInflight)
                throw new CarrierErrorException(CarrierError.Single(503, ErrorCodes.ShippingUnavailable,
                    "The Shipping system is currently unavailable, please try again later."));
            if (rateCap is not null && await rateCap.TryTakeAsync(cancellationToken).ConfigureAwait(false) is { } wait)
                throw new CarrierErrorException(CarrierError.Single(429, ErrorCodes.TooManyRequests, "Too Many Requests")
                    with { RetryAfter = Plan.RetryAfter ? wait : null });

            var delay = DrawLatency();
            if (delay > TimeSpan.Zero) await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);

            if (Strikes(Plan.AuthFail))
                throw new CarrierErrorException(CarrierError.Single(401, ErrorCodes.InvalidAuthentication, "Invalid Authentication Information"));
            if (Strikes(Plan.RateLimit))
                throw new CarrierErrorException(CarrierError.Single(429, ErrorCodes.TooManyRequests, "Too Many Requests"));
            BeforeReachingUps();
            return place;
        }
        catch
        {
            place.Dispose();
            throw;
        }
    }

    /// <summary>This call's latency: fixed plus uniform jitter, or lognormal with the plan's median and 99th percentile.</summary>
    public TimeSpan DrawLatency()
    {
        if (Plan.LatencyDistribution == LatencyDistribution.Lognormal)
        {
            var median = Plan.Latency.TotalMilliseconds;
            var sigma = Math.Log(Plan.LatencyP99.TotalMilliseconds / median) / Z99;
            return TimeSpan.FromMilliseconds(median * Math.Exp(sigma * StandardNormal()));
        }
        var delay = Plan.Latency;
        if (Plan.Jitter > TimeSpan.Zero) delay += TimeSpan.FromMilliseconds(Draw() * Plan.Jitter.TotalMilliseconds);
        return delay;
    }

    // Box-Muller from two draws of the seeded source.
    private double StandardNormal()
    {
        double u1, u2;
        lock (_lock)
        {
            u1 = 1.0 - random.NextDouble();
            u2 = random.NextDouble();
        }
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private sealed class InflightPlace : IDisposable
    {
        private FaultInjector? _owner;

        public InflightPlace(FaultInjector owner)
        {
            _owner = owner;
            Count = Interlocked.Increment(ref owner._inflight);
        }

        /// <summary>Calls in this process, this one included, when it arrived.</summary>
        public int Count { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _owner, null) is { } owner) Interlocked.Decrement(ref owner._inflight);
        }
    }

    /// <summary>Faults that refuse a valid create before anything is written.</summary>
    public void BeforeCreate()
    {
        if (Strikes(Plan.ServerError))
            throw new CarrierErrorException(CarrierError.Single(503, ErrorCodes.ShippingUnavailable,
                "The Shipping system is currently unavailable, please try again later."));
        foreach (var injected in Plan.FailCodes)
        {
            if (Strikes(injected.Probability))
                throw CarrierErrorException.Refusal(injected.Code, ErrorCodes.DescribeInjected(injected.Code));
        }
    }

    public AfterCreate AfterCreate()
    {
        if (Strikes(Plan.CrashAfterCreate)) return Faults.AfterCreate.Crash;
        if (Strikes(Plan.HangAfterCreate)) return Faults.AfterCreate.Hang;
        if (Strikes(Plan.ErrorAfterCreate)) return Faults.AfterCreate.Error;
        return Faults.AfterCreate.Answer;
    }

    public void BeforeLookup()
    {
        if (Plan.LookupOff)
            throw new CarrierErrorException(CarrierError.Single(503, ErrorCodes.LookupUnavailable,
                "The label recovery system is currently unavailable, please try again later."));
    }

    /// <summary>What matt-hans/ups-mcp answers when its calls never reach UPS: the token request refused, or no connection.</summary>
    private void BeforeReachingUps()
    {
        if (Strikes(Plan.OAuthFail))
            throw ServerErrorException.RequestError("401 Client Error: Unauthorized for url: https://wwwcie.ups.com/security/v1/oauth/token");
        if (Strikes(Plan.Unreachable))
            throw ServerErrorException.RequestError(
                "HTTPSConnectionPool(host='wwwcie.ups.com', port=443): Max retries exceeded with url: /security/v1/oauth/token " +
                "(Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object>: Failed to establish a new connection: [Errno 111] Connection refused'))");
    }

    /// <summary>Probability 0 draws nothing and 1 always strikes, so fixed switches do not shift the random sequence.</summary>
    private bool Strikes(double probability) => probability switch
    {
        <= 0 => false,
        >= 1 => true,
        _ => Draw() < probability,
    };

    private double Draw()
    {
        lock (_lock) return random.NextDouble();
    }
}
