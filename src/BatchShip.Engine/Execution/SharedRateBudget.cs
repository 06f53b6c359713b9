using BatchShip.Engine.Errors;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Execution;

/// <summary>
/// Keeps a run's <see cref="AdaptiveRate"/> in step with the other runs of its carrier account, through the store: a
/// carrier's rate limit is the account's, so two stations (or two jobs of one clerk) that each learned the limit alone
/// would send twice what it allows. Once a second the run says it still uses the account and, in the same write,
/// publishes the account pace when a 429 cut its own (its pace times the number of runs) and any Retry-After pause.
/// It then adopts its share of a pace another run learned, re-splits when a run joins or leaves, and waits out the
/// account's pause. The budget is advice: a store that cannot take the sync this second leaves the run on its own
/// pace until the next one; nothing about a row depends on it.
/// </summary>
internal sealed class SharedRateBudget(BatchStore store, AdaptiveRate rate, string account, string runId)
{
    /// <summary>How often a run syncs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private int _cutsSeen;
    private int _runs = 1;
    private DateTimeOffset? _learnedAt;
    private DateTimeOffset? _pauseSent;

    /// <summary>The account of a job: its carrier and the shipper number it ships for.</summary>
    public static string AccountOf(string carrier, string shipperNumber) => $"{carrier}/{shipperNumber}";

    /// <summary>One sync; returns the budget as the store has it now.</summary>
    public RateBudget SyncOnce()
    {
        var cuts = rate.Cuts;
        // The account's pace, as this run sees it: its own share times the runs it was shared between.
        var learned = cuts != _cutsSeen && rate.RequestsPerSecond is { } own ? own * _runs : (double?)null;
        var pause = rate.PausedUntil is { } until && until != _pauseSent ? until : (DateTimeOffset?)null;
        var budget = store.SyncRateBudget(account, runId, learned, pause);
        _cutsSeen = cuts;
        if (pause is not null) _pauseSent = pause;

        rate.ShareCeiling(budget.Runs);
        if (learned is not null) _learnedAt = budget.LearnedAt;
        else if (budget.Pace is { } pace && (budget.LearnedAt != _learnedAt || budget.Runs != _runs))
        {
            // Another run learned the account's pace since, or the account is shared between more or fewer runs.
            rate.Adopt(pace / budget.Runs);
            _learnedAt = budget.LearnedAt;
        }
        if (budget.PausedUntil is { } pausedUntil) rate.PauseUntil(pausedUntil);
        _runs = budget.Runs;
        return budget;
    }

    /// <summary>Syncs every <see cref="Interval"/> until cancelled, then leaves the account's budget.</summary>
    public async Task RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    SyncOnce();
                }
                catch (BatchShipException)
                {
                    // A store busy past its timeout: this second the run keeps its own pace.
                }
                await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            try { store.LeaveRateBudget(account, runId); }
            catch (BatchShipException) { } // the share is forgotten after RateShareTimeout anyway
        }
    }
}
