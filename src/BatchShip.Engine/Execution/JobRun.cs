using System.Threading.Channels;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Execution;

/// <summary>
/// One run of one job, supervised: reconcile what an earlier run left in flight, claim Pending rows (other runs of
/// the job may be claiming theirs) and dispatch them to the workers, and end in a recorded state whatever happens:
/// the job's ending is written by its last runner. A worker's exception stops dispatch (it never
/// leaves the dispatcher waiting for a worker that is gone); a run fenced off by a takeover writes nothing more.
/// </summary>
internal sealed class JobRun(RunContext run, CarrierConnection carrier)
{
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(250);
    private readonly RowCompletion _completion = new(run);

    public async Task<JobSummary> ExecuteAsync(JobSummary before, bool resumed)
    {
        var reconciler = new Reconciler(run, carrier, _completion);
        var protocol = new RowProtocol(run, carrier, _completion, reconciler);
        var toDo = before.Count(RowStatus.Pending) + before.Count(RowStatus.InFlight);
        for (var round = 1; ; round++)
        {
            long claimed = 0;
            // A later round ships rows given back or taken over, so it needs the carrier whatever the first one found.
            var rowsToSend = toDo > 0 || round > 1;
            try
            {
                if (round == 1)
                {
                    run.Labels.RemoveLeftovers();
                    run.Publish(new BatchStarted(run.JobId, run.Now, run.Job.RowCount, toDo, run.Job.Carrier, run.Job.TemplateName, resumed));
                }
                if (rowsToSend) await carrier.GetAsync(run.Cancel).ConfigureAwait(false);

                // Step 6: every row an earlier run left InFlight is settled before anything new is sent: those this run
                // took over when it began (rows in flight under another live runner are that runner's, never touched here).
                // The other rows of a -GroupBy group are settled with their group's first row, never on their own.
                if (round == 1)
                {
                    foreach (var row in run.Store.InFlightRowsOf(run.Run).Where(r => !r.ShipsWithLeader))
                    {
                        if (run.Dispatch.IsCancellationRequested) break;
                        await reconciler.ReconcileAsync(row).ConfigureAwait(false);
                    }
                }

                using var budgetEnd = new CancellationTokenSource();
                var budget = rowsToSend ? run.RateBudget.RunAsync(run.Time, budgetEnd.Token) : Task.CompletedTask;
                try
                {
                    claimed = await DispatchAsync(protocol, reconciler).ConfigureAwait(false);
                }
                finally
                {
                    await budgetEnd.CancelAsync().ConfigureAwait(false);
                    await budget.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (run.Cancel.IsCancellationRequested)
            {
                // Ctrl+C while starting the carrier or reconciling: the job is Stopped below.
            }
#pragma warning disable CA1031 // the job must always end in a recorded state, whatever went wrong
            catch (Exception e)
            {
                run.Fail(e);
            }
#pragma warning restore CA1031
            // Null when this run, the job's last runner, found rows no live run will send: rows another runner gave
            // back after this run's last claim, or those of a runner found dead only now. They are settled and sent
            // before the job ends; a round that could claim none of them ends the job as it stands, so a run never
            // goes round for nothing.
            if (Finish(claimRowsGivenBack: round == 1 || claimed > 0) is { } summary) return summary;
        }
    }

    /// <summary>Claims and sends rows until none is left to claim and this run's own are done; returns how many it claimed.</summary>
    private async Task<long> DispatchAsync(RowProtocol protocol, Reconciler reconciler)
    {
        long claimedRows = 0;
        var queue = Channel.CreateBounded<RowRecord>(new BoundedChannelOptions(run.Throttle) { SingleWriter = true });
        var unfinished = 0; // rows this run claimed and has not finished yet
        var workers = Enumerable.Range(0, run.Throttle).Select(_ => Task.Run(async () =>
        {
            await foreach (var row in queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                try
                {
                    if (run.Dispatch.IsCancellationRequested) continue; // drain: rows not yet started stay Pending
                    await protocol.ProcessAsync(row).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (run.Cancel.IsCancellationRequested)
                {
                    // Cancelled while waiting to confirm an unknown outcome: the row stays InFlight with its deadline.
                }
#pragma warning disable CA1031 // supervision: a worker's failure stops the run, it must not leave it hanging
                catch (Exception e)
                {
                    run.Fail(e);
                }
#pragma warning restore CA1031
                finally
                {
                    Interlocked.Decrement(ref unfinished);
                }
            }
        })).ToArray();

        try
        {
            // Stop-BatchShipment (and another runner of the job stopping on an error) is read from the store between
            // rows, but at most a few times a second: a query per row would contend with the row commits for nothing.
            var lastStopCheck = -StopCheckInterval; // so the first row checks
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!run.Dispatch.IsCancellationRequested)
            {
                if (clock.Elapsed - lastStopCheck >= StopCheckInterval)
                {
                    lastStopCheck = clock.Elapsed;
                    if (run.Store.IsStopRequested(run.JobId)) { run.StopDispatch(null); break; }
                    // Another runner stopped on an error: this run stops with it, so that its command fails too.
                    if (run.Store.RunErrorOf(run.JobId) is { } other)
                    {
                        run.StopDispatch(new BatchShipException(other.Error, $"Another runner of the job stopped on {other.Error.Code}: {other.Message}", jobId: run.JobId));
                        break;
                    }
                }
                // Rows in flight of a runner that died meanwhile, which this run took over: settled before more are sent.
                while (!run.Dispatch.IsCancellationRequested && run.TryTakeNextTakenOver(out var takenOver))
                    foreach (var row in run.Store.GetRows(run.JobId, [RowStatus.InFlight], [takenOver]))
                        await reconciler.ReconcileAsync(row).ConfigureAwait(false);

                // Small batches (twice the throttle), so that the other runners of the job get their share.
                var claimed = run.Dispatch.IsCancellationRequested ? [] : run.Store.ClaimPendingRows(run.Run, 2 * run.Throttle);
                if (claimed.Count == 0)
                {
                    // Nothing left to claim. While this run still has rows going, a runner that ends or dies may give
                    // rows back to the pool: look again shortly, and end only once this run's own rows are done.
                    if (Volatile.Read(ref unfinished) == 0) break;
                    await Task.Delay(StopCheckInterval, run.Time, run.Dispatch).ConfigureAwait(false);
                    continue;
                }
                claimedRows += claimed.Count;
                foreach (var row in claimed)
                {
                    Interlocked.Increment(ref unfinished);
                    await queue.Writer.WriteAsync(row, run.Dispatch).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (run.Dispatch.IsCancellationRequested)
        {
        }
        finally
        {
            queue.Writer.Complete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        return claimedRows;
    }

    private JobSummary? Finish(bool claimRowsGivenBack)
    {
        var store = run.Store;
        // Another run owns the job now: this one records nothing, it only says why it stopped.
        if (run.IsFenced) return EndUnrecorded(run.StopError!);

        RunEnd end;
        try
        {
            run.Settings.StepHook?.Invoke("before-run-end", 0);
            // Only a run that ended its rows as planned goes on with rows given back; one that stops leaves them Pending.
            var goesOn = claimRowsGivenBack && run.StopError is null && !run.Cancel.IsCancellationRequested && !run.Dispatch.IsCancellationRequested;
            end = store.EndRun(run.Run, run.StopError, Decide, claimRowsGivenBack: goesOn);
        }
        catch (BatchShipException e) when (e.Error == ErrorCatalog.LeaseLost || e.Error == ErrorCatalog.StoreBusy)
        {
            // Fenced at the last moment, or the store stayed locked: the job keeps its state for the next run.
            return EndUnrecorded(e);
        }
        if (end.RowsGivenBack)
        {
            run.TakeOver(end.TakenOver); // settled by the next round before it sends anything
            return null;
        }
        var summary = store.Summarize(run.JobId);
        if (end.Ending is not { } ending)
        {
            // Other runners go on with the job and the last of them ends it: this run reports its own ending only.
            run.Publish(run.StopError is { } error ? new BatchFailed(run.JobId, run.Now, summary, error)
                : run.Cancel.IsCancellationRequested || run.Dispatch.IsCancellationRequested ? new BatchStopped(run.JobId, run.Now, summary)
                : new BatchCompleted(run.JobId, run.Now, summary));
            return summary;
        }
        run.Publish(ending.Status switch
        {
            JobStatus.Failed => new BatchFailed(run.JobId, run.Now, summary, ending.Error!),
            JobStatus.Stopped or JobStatus.Cancelled => new BatchStopped(run.JobId, run.Now, summary),
            _ => new BatchCompleted(run.JobId, run.Now, summary),
        });
        return summary;
    }

    // The job's ending, decided by its last runner inside the transaction that ends its run (so it may run more than
    // once, and reads nothing but its facts and this run's own outcome, which no longer changes).
    private JobEnding Decide(RunEndFacts facts)
    {
        var stoppedOnRequest = run.Cancel.IsCancellationRequested || facts.StopRequested;
        // The first error given is the one the job ends with: one another runner recorded came before this run's own.
        var error = facts.OtherRunError ?? run.StopError;
        if (error is null && facts.Count(RowStatus.NeedsReview) > 0 && !stoppedOnRequest)
            error = new BatchShipException(ErrorCatalog.OutcomeUnknown,
                $"{facts.Count(RowStatus.NeedsReview)} row(s) need review: the carrier could not say whether they shipped.", jobId: run.JobId);
        if (error is null && run.Held > 0 && facts.Count(RowStatus.Pending) > 0 && !run.Cancel.IsCancellationRequested)
            error = new BatchShipException(ErrorCatalog.HeldByOtherJob,
                $"{run.Held} row(s) wait for job {run.HeldBy}, which has the same orders in flight or under review.", jobId: run.JobId);
        if (error is null && !stoppedOnRequest && facts.Count(RowStatus.Pending) > 0)
            // Nobody asked to stop, yet rows are left: the carrier kept failing on them without making
            // the shipments (each proven absent, resent up to the limit). Say so: a scheduled run must fail.
            error = new BatchShipException(ErrorCatalog.CarrierUnavailable,
                $"{facts.Count(RowStatus.Pending)} row(s) could not be shipped: the carrier failed on them repeatedly without making the shipments.", jobId: run.JobId);
        if (error is null && !stoppedOnRequest && facts.Count(RowStatus.InFlight) > 0)
            error = new BatchShipException(ErrorCatalog.OutcomeUnknown,
                $"{facts.Count(RowStatus.InFlight)} row(s) are still in flight; Resume-BatchShipment settles them with the carrier.", jobId: run.JobId);

        var note = facts.CancelNote;
        if (error is not null) return new JobEnding(JobStatus.Failed, error, note);
        if (stoppedOnRequest)
        {
            // A job is never Completed with rows in flight: those a cancel caught while their outcome was being
            // confirmed stay InFlight, with the deadline from which a lookup may prove them absent.
            if (facts.Count(RowStatus.InFlight) > 0)
                note = (note is null ? "" : note + " ") + $"{facts.Count(RowStatus.InFlight)} row(s) were stopped while their outcome was being confirmed with the carrier; Resume-BatchShipment settles them.";
            return new JobEnding(JobStatus.Stopped, null, note);
        }
        return new JobEnding(facts.Count(RowStatus.Failed) > 0 ? JobStatus.CompletedWithErrors : JobStatus.Completed, null, note);
    }

    // The run ends without writing the job's ending (another run owns the job, or the store would not take the
    // write): it only reports why, with the job as the store has it.
    private JobSummary EndUnrecorded(BatchShipException why)
    {
        var left = run.Store.Summarize(run.JobId);
        run.Publish(new BatchFailed(run.JobId, run.Now, left, why.JobId is null ? why.For(run.JobId, null) : why));
        return left;
    }
}
