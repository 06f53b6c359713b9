using System.Threading.RateLimiting;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace BatchShip.Engine.Execution;

/// <summary>
/// How a run calls the carrier's create tool, as one Polly pipeline shared by every worker:
/// retry (only what the carrier certainly did not do, exponential backoff with jitter) around a circuit
/// breaker (a carrier failing systemically stops the job instead of failing every row) around an
/// optional request rate (-MaxRequestsPerSecond) around the adaptive concurrency that halves on 429.
/// An outcome that is unknown is never retried here: the executor reconciles it by reference.
/// </summary>
internal sealed class CarrierCallPolicy : IDisposable
{
    private readonly ResiliencePipeline<CreateOutcome> _pipeline;
    private readonly RateLimiter? _rate;

    public CarrierCallPolicy(ExecutorSettings settings, int throttleLimit, double? maxRequestsPerSecond, TimeProvider time,
        Action<int> onSlowDown)
    {
        Concurrency = new AdaptiveConcurrency(throttleLimit);
        OnSlowDown = onSlowDown;
        var builder = new ResiliencePipelineBuilder<CreateOutcome> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<CreateOutcome>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is CreateOutcome.Refused { Error.Error.Retryable: true }),
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<CreateOutcome>
            {
                ShouldHandle = args => ValueTask.FromResult(IsCarrierFailure(args.Outcome.Result)),
                FailureRatio = settings.BreakerFailureRatio,
                MinimumThroughput = settings.BreakerMinimumThroughput,
                SamplingDuration = settings.BreakerSamplingDuration,
                BreakDuration = settings.BreakerBreakDuration,
            });
        if (maxRequestsPerSecond is > 0 and var rps)
        {
            _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = 1,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1 / rps),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            builder.AddRateLimiter(_rate);
        }
        _pipeline = builder.Build();
    }

    /// <summary>The concurrency the carrier currently tolerates.</summary>
    public AdaptiveConcurrency Concurrency { get; }

    private Action<int> OnSlowDown { get; }

    /// <summary>Calls create under the policy. An open circuit means nothing was sent: a systemic E-3001 refusal.</summary>
    public async Task<CreateOutcome> CreateAsync(ICarrierSession session, string request)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async _ =>
            {
                await Concurrency.AcquireAsync().ConfigureAwait(false);
                var rateLimited = false;
                try
                {
                    var outcome = await session.CreateShipmentAsync(request, CancellationToken.None).ConfigureAwait(false);
                    rateLimited = outcome is CreateOutcome.Refused r && r.Error.Error == ErrorCatalog.RateLimited;
                    return outcome;
                }
                finally
                {
                    var limit = Concurrency.Release(rateLimited);
                    if (rateLimited) OnSlowDown(limit);
                }
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            return new CreateOutcome.Refused(new BatchShipException(ErrorCatalog.CarrierUnavailable,
                $"The carrier is failing on most calls, so sending stopped (circuit open): {e.Message}", inner: e));
        }
    }

    public void Dispose() => _rate?.Dispose();

    private static bool IsCarrierFailure(CreateOutcome? outcome) => outcome switch
    {
        CreateOutcome.Refused r => r.Error.Error == ErrorCatalog.CarrierUnavailable,
        CreateOutcome.Unknown => true,
        _ => false,
    };
}
