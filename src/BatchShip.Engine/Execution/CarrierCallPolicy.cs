using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace BatchShip.Engine.Execution;

/// <summary>
/// How a run sends creates, as one Polly pipeline shared by every worker: retry (only what the carrier certainly
/// did not do, exponential backoff with jitter, or the carrier's Retry-After) around a circuit breaker (a carrier
/// failing systemically stops the job instead of failing every row) around the learned pace (<see cref="AdaptiveRate"/>,
/// cut on 429) and the adaptive concurrency (halved when the carrier says it is overloaded). Every wait (pace,
/// concurrency, backoff) happens before the attempt, and the attempt itself commits the row InFlight and sends at
/// once: a row never waits while it is InFlight. An outcome that is unknown is never retried here: the executor
/// reconciles it by reference. Slow-downs and waits are reported as events, so the user sees why the run is slow.
/// </summary>
internal sealed class CarrierCallPolicy
{
    private static readonly ResiliencePropertyKey<long> RowKey = new("BatchShip.RowNumber");
    private readonly ResiliencePipeline<SendAttempt> _pipeline;
    private readonly ResiliencePipeline<RateOutcome> _quotes;
    private readonly string _jobId;
    private readonly TimeProvider _time;
    private readonly Action<BatchEvent> _report;

    public CarrierCallPolicy(ExecutorSettings settings, int throttleLimit, double? maxRequestsPerSecond, TimeProvider time,
        string jobId, Action<BatchEvent> report)
    {
        Concurrency = new AdaptiveConcurrency(throttleLimit);
        Rate = new AdaptiveRate(maxRequestsPerSecond, time);
        _jobId = jobId;
        _time = time;
        _report = report;
        _pipeline = Build<SendAttempt>(settings, a => a?.Outcome is CreateOutcome.Refused r ? (r.Error, r.RetryAfter) : null,
            a => IsCarrierFailure(a?.Outcome));
        // A quote creates nothing: a rate call that failed in any way is a refusal (never an unknown outcome), retried
        // when its error is retryable, as a create's is.
        _quotes = Build<RateOutcome>(settings, o => o is RateOutcome.Refused r ? (r.Error, r.RetryAfter) : null,
            o => o is RateOutcome.Refused r && r.Error.Error == ErrorCatalog.CarrierUnavailable);
    }

    // One pipeline shape for every kind of call: retry what the carrier refused but may take later (with its
    // Retry-After when it gave one) around a breaker that opens when the carrier itself is failing.
    private ResiliencePipeline<T> Build<T>(ExecutorSettings settings, Func<T?, (BatchShipException Error, TimeSpan? RetryAfter)?> refusal,
        Func<T?, bool> carrierFailure)
    {
        var maxRetries = Math.Max(1, settings.MaxRetries);
        return new ResiliencePipelineBuilder<T> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<T>
            {
                ShouldHandle = args => ValueTask.FromResult(refusal(args.Outcome.Result) is { Error.Error.Retryable: true }),
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
                // The carrier knows best when it will take the call again.
                DelayGenerator = args => ValueTask.FromResult(refusal(args.Outcome.Result) is { RetryAfter: { } after } ? (TimeSpan?)after : null),
                OnRetry = args =>
                {
                    var (error, retryAfter) = refusal(args.Outcome.Result)!.Value;
                    _report(new CarrierWait(_jobId, _time.GetUtcNow(), args.Context.Properties.GetValue(RowKey, 0),
                        $"the carrier refused ({error.Error.Code} {error.Error.Title}{(retryAfter is null ? "" : ", Retry-After")})",
                        args.RetryDelay, args.AttemptNumber + 1, maxRetries));
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<T>
            {
                ShouldHandle = args => ValueTask.FromResult(carrierFailure(args.Outcome.Result)),
                FailureRatio = settings.BreakerFailureRatio,
                MinimumThroughput = settings.BreakerMinimumThroughput,
                SamplingDuration = settings.BreakerSamplingDuration,
                BreakDuration = settings.BreakerBreakDuration,
            })
            .Build();
    }

    /// <summary>The concurrency the carrier currently tolerates.</summary>
    public AdaptiveConcurrency Concurrency { get; }

    /// <summary>The pace the carrier currently tolerates (unpaced until its first 429, unless -MaxRequestsPerSecond).</summary>
    public AdaptiveRate Rate { get; }

    /// <summary>
    /// Runs <paramref name="attempt"/> (commit InFlight, send) for row <paramref name="rowNumber"/> once its turn has
    /// come, again after a refusal that proves nothing was made (the attempt has put the row back to Pending by then,
    /// so the backoff waits with the row Pending). An open circuit means the attempt did not run: a systemic E-3001
    /// refusal of a row still Pending. Cancelling <paramref name="cancellationToken"/> ends a wait; it never
    /// interrupts an attempt.
    /// </summary>
    public async Task<SendAttempt> SendAsync(long rowNumber, Func<Task<SendAttempt>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(_pipeline, rowNumber, attempt, a => a?.Outcome as CreateOutcome.Refused is { } r ? (r.Error, r.RetryAfter) : null,
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            return new SendAttempt(SendStage.NotSent, new CreateOutcome.Refused(CircuitOpen(e)));
        }
    }

    /// <summary>Rates row <paramref name="rowNumber"/> under the same pace, concurrency, retries and breaker as the
    /// creates: a quote of a large batch must not trip the carrier's rate limit any more than its run would.</summary>
    public async Task<RateOutcome> QuoteAsync(long rowNumber, Func<Task<RateOutcome>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(_quotes, rowNumber, attempt, o => o is RateOutcome.Refused r ? (r.Error, r.RetryAfter) : null,
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            return new RateOutcome.Refused(CircuitOpen(e));
        }
    }

    private static BatchShipException CircuitOpen(BrokenCircuitException e) => new(ErrorCatalog.CarrierUnavailable,
        $"The carrier is failing on most calls, so sending stopped (circuit open): {e.Message}", inner: e);

    private async Task<T> ExecuteAsync<T>(ResiliencePipeline<T> pipeline, long rowNumber, Func<Task<T>> attempt,
        Func<T?, (BatchShipException Error, TimeSpan? RetryAfter)?> refusal, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RowKey, rowNumber);
        try
        {
            return await pipeline.ExecuteAsync(async ctx =>
            {
                var admitted = await Rate.WaitTurnAsync(ctx.CancellationToken).ConfigureAwait(false);
                await Concurrency.AcquireAsync().ConfigureAwait(false);
                T? result = default;
                try
                {
                    result = await attempt().ConfigureAwait(false);
                    return result;
                }
                finally
                {
                    Settle(refusal(result), admitted);
                }
            }, context).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // A 429 cuts the pace; a refusal saying the carrier is overloaded (503, nothing made) halves the calls in flight.
    private void Settle((BatchShipException Error, TimeSpan? RetryAfter)? refused, long admitted)
    {
        var overloaded = refused?.Error.Error == ErrorCatalog.CarrierUnavailable;
        var before = Concurrency.Limit;
        var limit = Concurrency.Release(overloaded);
        if (refused is { } r && r.Error.Error == ErrorCatalog.RateLimited && Rate.RateLimited(admitted, r.RetryAfter) is { } pace)
            _report(new CarrierSlowedDown(_jobId, _time.GetUtcNow(), "the carrier refused a call with 429 (rate limit)", pace, limit, r.RetryAfter));
        else if (overloaded && limit < before)
            _report(new CarrierSlowedDown(_jobId, _time.GetUtcNow(), "the carrier is overloaded (503)", Rate.RequestsPerSecond, limit, null));
    }

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
