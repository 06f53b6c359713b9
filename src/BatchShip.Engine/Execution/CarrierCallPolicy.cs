using System.Threading.RateLimiting;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace BatchShip.Engine.Execution;

/// <summary>
/// How a run sends creates, as one Polly pipeline shared by every worker: retry (only what the carrier certainly
/// did not do, exponential backoff with jitter) around a circuit breaker (a carrier failing systemically stops the
/// job instead of failing every row) around an optional request rate (-MaxRequestsPerSecond) around the adaptive
/// concurrency that halves on 429. Every wait (rate, concurrency, backoff) happens before the attempt, and the
/// attempt itself commits the row InFlight and sends at once: a row never waits while it is InFlight. An outcome
/// that is unknown is never retried here: the executor reconciles it by reference.
/// </summary>
internal sealed class CarrierCallPolicy : IDisposable
{
    private readonly ResiliencePipeline<SendAttempt> _pipeline;
    private readonly RateLimiter? _rate;

    public CarrierCallPolicy(ExecutorSettings settings, int throttleLimit, double? maxRequestsPerSecond, TimeProvider time,
        Action<int> onSlowDown)
    {
        Concurrency = new AdaptiveConcurrency(throttleLimit);
        OnSlowDown = onSlowDown;
        var builder = new ResiliencePipelineBuilder<SendAttempt> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<SendAttempt>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Outcome: CreateOutcome.Refused { Error.Error.Retryable: true } }),
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<SendAttempt>
            {
                ShouldHandle = args => ValueTask.FromResult(IsCarrierFailure(args.Outcome.Result?.Outcome)),
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

    /// <summary>
    /// Runs <paramref name="attempt"/> (commit InFlight, send) once its turn has come, again after a refusal that
    /// proves nothing was made (the attempt has put the row back to Pending by then, so the backoff waits with the
    /// row Pending). An open circuit means the attempt did not run: a systemic E-3001 refusal of a row still Pending.
    /// Cancelling <paramref name="cancellationToken"/> ends a wait; it never interrupts an attempt.
    /// </summary>
    public async Task<SendAttempt> SendAsync(Func<Task<SendAttempt>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async _ =>
            {
                await Concurrency.AcquireAsync().ConfigureAwait(false);
                var rateLimited = false;
                try
                {
                    var result = await attempt().ConfigureAwait(false);
                    rateLimited = result.Outcome is CreateOutcome.Refused r && r.Error.Error == ErrorCatalog.RateLimited;
                    return result;
                }
                finally
                {
                    var limit = Concurrency.Release(rateLimited);
                    if (rateLimited) OnSlowDown(limit);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            return new SendAttempt(SendStage.NotSent, new CreateOutcome.Refused(new BatchShipException(ErrorCatalog.CarrierUnavailable,
                $"The carrier is failing on most calls, so sending stopped (circuit open): {e.Message}", inner: e)));
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

/// <summary>How far one attempt got: the row did not go in flight (another row holds its order, or it was not
/// Pending), it went in flight but was not sent (too late, or the run was fenced) and is Pending again, or it was sent.</summary>
internal enum SendStage { NotStarted, NotSent, Sent }

/// <summary>What one attempt did. <see cref="Begin"/> is the InFlight commit's answer; <see cref="Outcome"/> the carrier's
/// answer when the create was sent (or the refusal that kept it from being sent).</summary>
internal sealed record SendAttempt(SendStage Stage, CreateOutcome? Outcome, BeginResult? Begin = null);
