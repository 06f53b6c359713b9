using System.Threading.Channels;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Execution;

/// <summary>
/// One run of one job, supervised: reconcile what an earlier run left in flight, dispatch Pending rows to the
/// workers, and end the job in a recorded state whatever happens. A worker's exception stops dispatch (it never
/// leaves the dispatcher waiting for a worker that is gone); a run fenced off by a takeover writes nothing more.
/// </summary>
internal sealed class JobRun(RunContext run, CarrierConnection carrier)
{
    private const int PageSize = 256;
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(250);
    private readonly RowCompletion _completion = new(run);

    public async Task<JobSummary> ExecuteAsync(JobSummary before, bool resumed)
    {
        var reconciler = new Reconciler(run, carrier, _completion);
        var protocol = new RowProtocol(run, carrier, _completion, reconciler);
        try
        {
            run.Labels.RemoveLeftovers();
            var toDo = before.Count(RowStatus.Pending) + before.Count(RowStatus.InFlight);
            run.Publish(new BatchStarted(run.JobId, run.Now, run.Job.RowCount, toDo, run.Job.Carrier, run.Job.TemplateName, resumed));

            if (toDo > 0) await carrier.GetAsync(run.Cancel).ConfigureAwait(false);

            // Step 6: every row an earlier run left InFlight is settled before anything new is sent.
            // The other rows of a -GroupBy group are settled with their group's first row, never on their own.
            foreach (var row in run.Store.GetRows(run.JobId, [RowStatus.InFlight]).Where(r => !r.ShipsWithLeader))
            {
                if (run.Dispatch.IsCancellationRequested) break;
                await reconciler.ReconcileAsync(row).ConfigureAwait(false);
            }

            using var budgetEnd = new CancellationTokenSource();
            var budget = toDo > 0 ? run.RateBudget.RunAsync(run.Time, budgetEnd.Token) : Task.CompletedTask;
            try
            {
                await DispatchAsync(protocol).ConfigureAwait(false);
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
        return Finish();
    }

    private async Task DispatchAsync(RowProtocol protocol)
    {
        var queue = Channel.CreateBounded<RowRecord>(new BoundedChannelOptions(run.Throttle) { SingleWriter = true });
        var workers = Enumerable.Range(0, run.Throttle).Select(_ => Task.Run(async () =>
        {
            await foreach (var row in queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (run.Dispatch.IsCancellationRequested) continue; // drain: rows not yet started stay Pending
                try
                {
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
            }
        })).ToArray();

        try
        {
            long after = 0;
            // Stop-BatchShipment is read from the store between rows, but at most a few times a second:
            // a query per row would contend with the row commits for nothing.
            var lastStopCheck = -StopCheckInterval; // so the first row checks
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!run.Dispatch.IsCancellationRequested)
            {
                var page = run.Store.PendingRows(run.JobId, after, PageSize);
                if (page.Count == 0) break;
                foreach (var row in page)
                {
                    if (run.Dispatch.IsCancellationRequested) break;
                    if (clock.Elapsed - lastStopCheck >= StopCheckInterval)
                    {
                        lastStopCheck = clock.Elapsed;
                        if (run.Store.IsStopRequested(run.JobId)) { run.StopDispatch(null); break; }
                    }
                    await queue.Writer.WriteAsync(row, run.Dispatch).ConfigureAwait(false);
                    after = row.RowNumber;
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
    }

    private JobSummary Finish()
    {
        var store = run.Store;
        // Another run owns the job now: this one records nothing, it only says why it stopped.
        if (run.IsFenced) return EndUnrecorded(run.StopError!);

        var counts = store.Summarize(run.JobId);
        string? cancelNote = null;
        if (store.IsCancelRequested(run.JobId))
        {
            // Stop-BatchShipment -Cancel: the dispatcher stopped on the stop request; the rows in flight have finished.
            // Once every row is settled the job ends Cancelled. One left InFlight or NeedsReview still needs a Resume or a
            // person, so the job ends as a stop would, and the note says why it was not cancelled.
            try
            {
                store.FinishCancelled(run.Run);
                var cancelled = store.Summarize(run.JobId);
                run.Publish(new BatchStopped(run.JobId, run.Now, cancelled));
                return cancelled;
            }
            catch (BatchShipException e) when (e.Error == ErrorCatalog.Unsettled)
            {
                cancelNote = "Not cancelled: " + e.Message;
            }
            catch (BatchShipException e) when (e.Error == ErrorCatalog.LeaseLost || e.Error == ErrorCatalog.StoreBusy)
            {
                return EndUnrecorded(e);
            }
        }
        var stoppedOnRequest = run.Cancel.IsCancellationRequested || store.IsStopRequested(run.JobId);
        var error = run.StopError;
        if (error is null && counts.Count(RowStatus.NeedsReview) > 0 && !stoppedOnRequest)
            error = new BatchShipException(ErrorCatalog.OutcomeUnknown,
                $"{counts.Count(RowStatus.NeedsReview)} row(s) need review: the carrier could not say whether they shipped.", jobId: run.JobId);
        if (error is null && run.Held > 0 && counts.Count(RowStatus.Pending) > 0 && !run.Cancel.IsCancellationRequested)
            error = new BatchShipException(ErrorCatalog.HeldByOtherJob,
                $"{run.Held} row(s) wait for job {run.HeldBy}, which has the same orders in flight or under review.", jobId: run.JobId);
        if (error is null && !stoppedOnRequest && counts.Count(RowStatus.Pending) > 0)
            // Nobody asked to stop, yet rows are left: the carrier kept failing on them without making
            // the shipments (each proven absent, resent up to the limit). Say so: a scheduled run must fail.
            error = new BatchShipException(ErrorCatalog.CarrierUnavailable,
                $"{counts.Count(RowStatus.Pending)} row(s) could not be shipped: the carrier failed on them repeatedly without making the shipments.", jobId: run.JobId);
        if (error is null && !stoppedOnRequest && counts.Count(RowStatus.InFlight) > 0)
            error = new BatchShipException(ErrorCatalog.OutcomeUnknown,
                $"{counts.Count(RowStatus.InFlight)} row(s) are still in flight; Resume-BatchShipment settles them with the carrier.", jobId: run.JobId);

        JobStatus final;
        var note = cancelNote;
        if (error is not null) final = JobStatus.Failed;
        else if (stoppedOnRequest)
        {
            final = JobStatus.Stopped;
            // A job is never Completed with rows in flight: those a cancel caught while their outcome was being
            // confirmed stay InFlight, with the deadline from which a lookup may prove them absent.
            if (counts.Count(RowStatus.InFlight) > 0)
                note = (note is null ? "" : note + " ") + $"{counts.Count(RowStatus.InFlight)} row(s) were stopped while their outcome was being confirmed with the carrier; Resume-BatchShipment settles them.";
        }
        else if (counts.Count(RowStatus.Failed) > 0) final = JobStatus.CompletedWithErrors;
        else final = JobStatus.Completed;

        try
        {
            store.SetJobStatus(run.JobId, JobStatus.Running, final, error?.Error.Code, error?.Message ?? note, run.Run);
        }
        catch (BatchShipException e) when (e.Error == ErrorCatalog.LeaseLost || e.Error == ErrorCatalog.StoreBusy)
        {
            // Fenced at the last moment, or the store stayed locked: the job keeps its state for the next run.
            return EndUnrecorded(e);
        }
        var summary = store.Summarize(run.JobId);
        run.Publish(final switch
        {
            JobStatus.Failed => new BatchFailed(run.JobId, run.Now, summary, error!),
            JobStatus.Stopped => new BatchStopped(run.JobId, run.Now, summary),
            _ => new BatchCompleted(run.JobId, run.Now, summary),
        });
        return summary;
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
