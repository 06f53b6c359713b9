using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;

namespace BatchShip.Cmdlets.Shipping;

/// <summary>
/// What Start- and Resume-BatchShipment share: run a job on worker tasks and turn its events into
/// PowerShell output on the pipeline thread (the only thread allowed to write), with progress, verbose
/// lifecycle, an information summary, and Ctrl+C wired to the engine's cancellation.
/// </summary>
public abstract class BatchRunCommand : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();
    private bool _rowErrorsAsWarnings;

    /// <summary>Never prompt (for scheduled tasks). Does not weaken the already-shipped protection.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>At most this many create calls per second, for carriers with known limits.</summary>
    [Parameter]
    [ValidateRange(0.01, 10000)]
    public double MaxRequestsPerSecond { get; set; }

    /// <summary>The -MaxRequestsPerSecond value, or null when it was not given.</summary>
    protected double? RequestRate => MaxRequestsPerSecond > 0 ? MaxRequestsPerSecond : null;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Cancelled by Ctrl+C.</summary>
    protected CancellationToken StopToken => _stop.Token;

    // -Debug on a compiled cmdlet makes PowerShell ask "Continue with this operation?" at every verbose line and
    // warning (and fail where it cannot ask: a non-interactive host), unless -Verbose or -WarningAction says otherwise.
    // Under -Debug those lines go to the debug stream instead, which -Debug shows without asking.
    private bool DebugWithout(string commonParameter) =>
        MyInvocation.BoundParameters.TryGetValue("Debug", out var d) && d is SwitchParameter { IsPresent: true }
        && !MyInvocation.BoundParameters.ContainsKey(commonParameter);

    /// <summary>A lifecycle line: verbose, or debug under -Debug (see <see cref="DebugWithout"/>).</summary>
    protected void Say(string text)
    {
        if (DebugWithout("Verbose")) WriteDebug(text);
        else WriteVerbose(text);
    }

    /// <summary>A warning, or a debug line starting WARNING under -Debug without -WarningAction (see <see cref="DebugWithout"/>).</summary>
    protected void Warn(string text)
    {
        if (DebugWithout("WarningAction")) WriteDebug("WARNING: " + text);
        else WriteWarning(text);
    }

    /// <summary>True under -WhatIf (or $WhatIfPreference): report, buy nothing.</summary>
    protected bool IsWhatIf =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent
        || SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;

    /// <summary>True when the user confirmed (or -Force); false under -WhatIf, which only reports.
    /// -Force skips the prompt but never turns -WhatIf into a purchase.</summary>
    protected bool Confirmed(string target, string action)
    {
        if (IsWhatIf)
        {
            ShouldProcess(target, action);
            return false;
        }
        return Force.IsPresent || ShouldProcess(target, action);
    }

    /// <summary>Runs the job to its end, writing one result per row as soon as the row finishes. Returns or throws
    /// only after the run has ended, whatever happened to the writing, so the caller may close the store. A run that
    /// could not start throws its <see cref="BatchShipException"/> for the caller to report; one that ended in failure
    /// is a terminating error naming Resume.</summary>
    protected void RunAndStream(BatchService service, string jobId, int? throttleLimit, double? maxRequestsPerSecond, bool retryFailed = false,
        ICarrierSession? carrier = null)
    {
        using var events = new BlockingCollection<BatchEvent>();
        var run = Task.Run(() => service.RunAsync(jobId, [new QueueObserver(events)], _stop.Token, throttleLimit, maxRequestsPerSecond, retryFailed, carrier));
        run.ContinueWith(_ => events.CompleteAdding(), TaskScheduler.Default);

        _rowErrorsAsWarnings = RowErrorsAsWarnings(service, jobId);
        var progress = new Progress(jobId);
        Exception? writeFailure = null;
        var started = false;
        // The loop ends only when the run has ended (CompleteAdding follows the task), so no exit below can leave
        // the engine running on a store its caller is about to close, with the job Running and rows InFlight.
        foreach (var e in events.GetConsumingEnumerable())
        {
            // After Ctrl+C or a failed write nothing more is written; the events are still drained.
            started |= e is BatchStarted;
            if (writeFailure is not null || _stop.IsCancellationRequested) continue;
            try
            {
                Handle(e, progress);
            }
            catch (Exception ex)
            {
                // Downstream stopped (Select-Object -First), -ErrorAction Stop turned a row error into a stop, a later
                // command in the pipeline threw, or the output itself failed: stop dispatching, let the rows in flight
                // finish their checkpoint (the job ends Stopped), then end the statement with this exception.
                writeFailure = ex;
                _stop.Cancel();
            }
        }

        JobSummary summary;
        try
        {
            summary = run.GetAwaiter().GetResult();
        }
        catch (Exception e) when (writeFailure is not null || e is BatchShipException)
        {
            // After a failed write, that failure is what stopped the run and what the user must see; the run's own
            // end is recorded in the job.
            if (writeFailure is not null) EndWithWriteFailure(writeFailure, jobId);
            // The run never started (the job is finished, cancelled, half-staged or running elsewhere): an error about
            // this one job, which the caller reports; Resume makes it non-terminating so a piped list goes on.
            else if (!started) ExceptionDispatchInfo.Throw(e);
            else ThrowTerminatingError(ErrorRecords.From((BatchShipException)e, jobId));
            return;
        }
        if (writeFailure is not null)
        {
            EndWithWriteFailure(writeFailure, jobId);
            return;
        }
        if (_stop.IsCancellationRequested) return; // Ctrl+C: PowerShell reports the stop itself

        WriteProgress(progress.Done());
        // One warning per run, not one per row: a file run twice would otherwise bury every other message.
        if (progress.AlreadyShipped > 0)
            WriteWarning($"{progress.AlreadyShipped} order(s) were already shipped by earlier jobs and were not shipped again; their results carry the earlier shipment. " +
                $"List them with: Get-BatchShipment -JobId {jobId} -Status AlreadyShipped");
        var completed = summary.Count(RowStatus.Completed);
        var info = string.Create(CultureInfo.InvariantCulture,
            $"Job {jobId} {summary.DisplayStatus}: {completed} completed, {summary.Count(RowStatus.Failed)} failed, {summary.Count(RowStatus.Pending)} pending, {summary.Count(RowStatus.NeedsReview)} need review, {summary.Count(RowStatus.AlreadyShipped)} already shipped; total cost {summary.TotalCost} {summary.Currency}{(summary.CostUnknownRows > 0 ? $" + {summary.CostUnknownRows} row(s) of unknown cost" : "")}.");
        // The pipeline carries rows only (so Export-Csv gets one shape); the job itself rides on the Information
        // stream, which a script captures with the common -InformationVariable parameter and the console shows as the sentence.
        WriteInformation(new InformationRecord(JobView.WithText(summary, info), "BatchShip"));

        switch (summary.Job.Status)
        {
            case JobStatus.Failed:
                var definition = ErrorCatalog.Get(summary.Job.LastErrorCode ?? ErrorCatalog.SystemError.Code);
                var error = new BatchShipException(definition, $"Job {jobId} stopped: {summary.Job.LastErrorMessage}", jobId: jobId)
                {
                    Remedy = BatchShipException.RemedyInJob(definition, jobId),
                };
                ThrowTerminatingError(ErrorRecords.From(error, jobId));
                break;
            case JobStatus.Cancelled:
                Warn($"Job {jobId} was cancelled: {summary.Count(RowStatus.Skipped)} row(s) skipped, never to be shipped.");
                break;
            case JobStatus.Stopped:
                Warn($"Job {jobId} stopped on request with {summary.Count(RowStatus.Pending)} row(s) pending. Continue with: Resume-BatchShipment -JobId {jobId}");
                break;
        }
        // Taken over while it was not heard from (frozen, suspended, cut off from the store): the job is the other
        // runner's now, and its status says how that one is doing, not this one. Say so, or it reads as success.
        if (progress.Fenced is { } fenced && summary.Job.Status != JobStatus.Failed)
            Warn($"{fenced.Error.Code}: {fenced.Message} Another runner took job {jobId} over while this one was not heard from past its lease, and settles the rows this one had in flight; check the job with: Get-BatchJob -JobId {jobId}");
        // Stopped on an error of its own while other runners of the job were still at it: the job's ending is the last
        // runner's to write, so the job reads Running here, but this command failed and a scheduled task must see it.
        else if (progress.StoppedOn is { } own && summary.Job.Status == JobStatus.Running)
        {
            var error = new BatchShipException(own.Error,
                $"This runner of job {jobId} stopped: {own.Message} The job's other runners stop at their next row and the last of them ends the job; with none left, the next run takes it over.", jobId: jobId)
            {
                Remedy = BatchShipException.RemedyInJob(own.Error, jobId),
            };
            ThrowTerminatingError(ErrorRecords.From(error, jobId));
        }
    }

    /// <summary>Ends the statement after the run stopped because writing failed: a row error under -ErrorAction Stop
    /// becomes the job's fail-fast error naming Resume; anything else (a downstream stop or throw) is rethrown as it was.</summary>
    private void EndWithWriteFailure(Exception failure, string jobId)
    {
        if (failure is ActionPreferenceStopException)
        {
            var definition = ErrorCatalog.Get(RowErrorCode(failure));
            ThrowTerminatingError(ErrorRecords.From(new BatchShipException(definition,
                $"Job {jobId} stopped at the first failed row ({failure.Message}).", jobId: jobId)
            {
                Remedy = BatchShipException.RemedyInJob(definition, jobId),
            }, jobId));
        }
        ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Under -ErrorPolicy Continue a refused row must never end the statement, yet the Stop error preference
    /// scheduled scripts inherit ($ErrorActionPreference = 'Stop') turns every WriteError into a terminating error, which
    /// would stop the job with rows unshipped. So when that preference is inherited, not given as -ErrorAction Stop on
    /// this command, a refused row is written as a warning; its result still carries ErrorCode and ErrorMessage.</summary>
    private bool RowErrorsAsWarnings(BatchService service, string jobId) =>
        !MyInvocation.BoundParameters.ContainsKey("ErrorAction")
        && service.Store.GetJob(jobId)?.Options.ErrorPolicy == ErrorPolicy.Continue
        && SessionState.PSVariable.GetValue("ErrorActionPreference") is ActionPreference.Stop or "Stop";

    private static string RowErrorCode(Exception stop) =>
        stop is ActionPreferenceStopException { ErrorRecord.Exception: BatchShipException b } ? b.Error.Code : ErrorCatalog.SystemError.Code;

    private void Handle(BatchEvent e, Progress progress)
    {
        switch (e)
        {
            case BatchStarted s:
                progress.Start(s.RowsToDo);
                Say($"Job {s.JobId}: {(s.Resumed ? "resuming" : "starting")}, {s.RowsToDo} of {s.TotalRows} row(s) to ship via {s.Carrier} with template {s.Template}.");
                break;
            case RowStarted r:
                Say($"Job {r.JobId} row {r.RowNumber}: sending (reference {r.Reference}).");
                break;
            case RowCompleted c:
                WriteObject(ShipmentResultView.From(c.Row));
                if (ShipmentResultView.UnsavedWarning(c.Row) is { } unsaved) Warn(unsaved);
                Tick(progress);
                break;
            case RowFailed f when _rowErrorsAsWarnings:
                WriteObject(ShipmentResultView.From(f.Row));
                Warn($"{ErrorRecords.Describe(f.Error)} {f.Error.Remedy}");
                Tick(progress);
                break;
            case RowFailed f:
                WriteObject(ShipmentResultView.From(f.Row));
                var record = ErrorRecords.From(f.Error, ShipmentResultView.From(f.Row));
                // Under -ErrorAction Stop this row error is the one the user sees: it must say how to go on.
                record.ErrorDetails.RecommendedAction +=
                    $" Rows not shipped yet stay Pending: Resume-BatchShipment -JobId {f.JobId} continues the job; a fixed input file can simply be run again (rows already shipped are skipped).";
                WriteError(record);
                Tick(progress);
                break;
            case RowNeedsReview n:
                WriteObject(ShipmentResultView.From(n.Row));
                Warn($"Job {n.JobId} row {n.Row.RowNumber}: needs review. {n.Reason} See Get-BatchShipment -JobId {n.JobId} -Status NeedsReview.");
                Tick(progress);
                break;
            case RowSkipped k when k.Because.Kind == BeginKind.AlreadyShipped:
                WriteObject(ShipmentResultView.From(k.Row));
                Say($"Job {k.JobId} row {k.Row.RowNumber}: not shipped; its order was already shipped by row {k.Because.OtherRowNumber} of job {k.Because.OtherJobId} (tracking {k.Because.OtherTrackingNumbers}).");
                progress.AlreadyShipped++;
                Tick(progress);
                break;
            case RowSkipped k:
                WriteObject(ShipmentResultView.From(k.Row, "Held", $"Waiting for job {k.Because.OtherJobId}, which has the same order in flight or under review."));
                Tick(progress);
                break;
            case CarrierSlowedDown d:
                var pace = d.RequestsPerSecond is { } rps ? string.Create(CultureInfo.InvariantCulture, $"slowing to {rps:0.#} requests/s") : "slowing down";
                var pause = d.RetryAfter is { } after ? string.Create(CultureInfo.InvariantCulture, $", waiting {after.TotalSeconds:0.#} s as it asked") : "";
                Waiting(progress, $"Job {d.JobId}: {d.Reason}: {pace}, at most {d.Concurrency} in flight{pause}.",
                    $"carrier refused: {pace}{pause}");
                break;
            case CarrierWait w:
                var wait = string.Create(CultureInfo.InvariantCulture, $"{w.Wait.TotalSeconds:0.#} s");
                Waiting(progress, $"Job {w.JobId} row {w.RowNumber}: {w.Reason}; nothing was made. Retry {w.Attempt} of {w.MaxAttempts} in {wait}, the row Pending meanwhile.",
                    $"waiting for the carrier ({w.Reason}), {wait}");
                break;
            case BatchFailed f when f.Error.Error == ErrorCatalog.LeaseLost:
                progress.Fenced = f.Error;
                Say($"Job {e.JobId}: run ended (fenced off).");
                break;
            case BatchFailed f:
                progress.StoppedOn = f.Error;
                Say($"Job {e.JobId}: run ended (Failed).");
                break;
            case BatchCompleted or BatchStopped:
                Say($"Job {e.JobId}: run ended ({e.GetType().Name[5..]}).");
                break;
        }
    }

    // A wait the user should see: a Verbose line now, and the progress bar says it until the next row finishes.
    private void Waiting(Progress progress, string verbose, string status)
    {
        WriteVerbose(verbose);
        if (progress.Note(status) is { } record) WriteProgress(record);
    }

    private void Tick(Progress progress)
    {
        if (progress.Advance() is { } record) WriteProgress(record);
    }

    private sealed class QueueObserver(BlockingCollection<BatchEvent> queue) : IBatchObserver
    {
        public void OnEvent(BatchEvent batchEvent) => queue.Add(batchEvent);
    }

    /// <summary>Rows done of total, rows per second, time left; written at most a few times a second.</summary>
    private sealed class Progress(string jobId)
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
        private readonly Stopwatch _clock = new();
        private TimeSpan? _lastWrite;
        private long _total;
        private long _done;
        private string? _note;

        /// <summary>Rows of this run found already shipped by another job, for the one warning at the end.</summary>
        public long AlreadyShipped { get; set; }

        /// <summary>Why this run was fenced off (E-4009), when another run took the job over from it.</summary>
        public BatchShipException? Fenced { get; set; }

        /// <summary>The error this run stopped on (the job's own when this run ended it).</summary>
        public BatchShipException? StoppedOn { get; set; }

        public void Start(long total)
        {
            _total = Math.Max(1, total);
            _clock.Start();
        }

        public ProgressRecord? Advance()
        {
            _done++;
            if (_lastWrite is { } last && _clock.Elapsed - last < Interval && _done < _total) return null;
            _note = null; // rows are finishing again: the last wait is over or no longer the news
            return Record();
        }

        /// <summary>Shows a wait in the status (at most a few times a second) until rows finish again.</summary>
        public ProgressRecord? Note(string note)
        {
            _note = note;
            if (_lastWrite is { } last && _clock.Elapsed - last < Interval) return null;
            return Record();
        }

        private ProgressRecord Record()
        {
            _lastWrite = _clock.Elapsed;
            var rate = _done / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            var left = (int)Math.Ceiling((_total - _done) / Math.Max(rate, 0.001));
            var status = string.Create(CultureInfo.InvariantCulture, $"{_done} of {_total} rows, {rate:0.0} rows/s");
            return new ProgressRecord(1, $"Shipping job {jobId}", _note is null ? status : $"{status}; {_note}")
            {
                PercentComplete = (int)Math.Min(100, _done * 100 / _total),
                SecondsRemaining = Math.Max(0, left),
            };
        }

        public ProgressRecord Done() => new(1, $"Shipping job {jobId}", "Done") { RecordType = ProgressRecordType.Completed };
    }
}
