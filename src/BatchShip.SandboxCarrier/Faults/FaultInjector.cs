using BatchShip.SandboxCarrier.Protocol;

namespace BatchShip.SandboxCarrier.Faults;

/// <summary>
/// Decides per call which fault strikes. One seeded random source, drawn in a fixed order under a
/// lock, so a given seed and call sequence always produce the same faults.
/// </summary>
public sealed class FaultInjector(FaultPlan plan, Random random, TimeProvider time)
{
    private readonly Lock _lock = new();

    public FaultPlan Plan { get; } = plan;

    /// <summary>Faults that sit in front of every tool, like a gateway would: delay, auth, rate limit.</summary>
    public async Task BeforeAnyToolAsync(CancellationToken cancellationToken)
    {
        var delay = Plan.Latency;
        if (Plan.Jitter > TimeSpan.Zero) delay += TimeSpan.FromMilliseconds(Draw() * Plan.Jitter.TotalMilliseconds);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);

        if (Strikes(Plan.AuthFail))
            throw new CarrierErrorException(CarrierError.Single(401, ErrorCodes.InvalidAuthentication, "Invalid Authentication Information"));
        if (Strikes(Plan.RateLimit))
            throw new CarrierErrorException(CarrierError.Single(429, ErrorCodes.TooManyRequests, "Too Many Requests"));
        BeforeReachingUps();
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
