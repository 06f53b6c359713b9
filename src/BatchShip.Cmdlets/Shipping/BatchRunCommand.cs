using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Output;
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

    /// <summary>Runs the job to its end, writing one result per row as soon as the row finishes.</summary>
    protected void RunAndStream(BatchService service, string jobId, int? throttleLimit, double? maxRequestsPerSecond, bool retryFailed = false)
    {
        using var events = new BlockingCollection<BatchEvent>();
        var run = Task.Run(() => service.RunAsync(jobId, [new QueueObserver(events)], _stop.Token, throttleLimit, maxRequestsPerSecond, retryFailed));
        run.ContinueWith(_ => events.CompleteAdding(), TaskScheduler.Default);

        var progress = new Progress(jobId);
        Exception? writeFailure = null;
        foreach (var e in events.GetConsumingEnumerable())
        {
            if (_stop.IsCancellationRequested) continue; // Ctrl+C: let in-flight rows finish, write nothing more
            try
            {
                Handle(e, progress);
            }
            catch (Exception ex) when (ex is PipelineStoppedException or ActionPreferenceStopException)
            {
                // Downstream stopped (Select-Object -First) or -ErrorAction Stop turned a row error into a stop:
                // stop dispatching, let the rows in flight finish their checkpoint, then end the statement.
                writeFailure = ex;
                _stop.Cancel();
            }
        }

        JobSummary summary;
        try
        {
            summary = run.GetAwaiter().GetResult();
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, jobId));
            return;
        }
        if (writeFailure is PipelineStoppedException) throw writeFailure;
        if (writeFailure is not null)
        {
            ThrowTerminatingError(ErrorRecords.From(new BatchShipException(ErrorCatalog.Get(RowErrorCode(writeFailure)),
                $"Job {jobId} stopped at the first failed row ({writeFailure.Message}). Fix the cause, then continue with: Resume-BatchShipment -JobId {jobId}",
                jobId: jobId), jobId));
        }
        if (_stop.IsCancellationRequested) return; // Ctrl+C: PowerShell reports the stop itself

        WriteProgress(progress.Done());
        var completed = summary.Count(RowStatus.Completed);
        var info = string.Create(CultureInfo.InvariantCulture,
            $"Job {jobId} {summary.DisplayStatus}: {completed} completed, {summary.Count(RowStatus.Failed)} failed, {summary.Count(RowStatus.Pending)} pending, {summary.Count(RowStatus.NeedsReview)} need review, {summary.Count(RowStatus.AlreadyShipped)} already shipped; total cost {summary.TotalCost} {summary.Currency}.");
        WriteInformation(new InformationRecord(info, "BatchShip"));

        switch (summary.Job.Status)
        {
            case JobStatus.Failed:
                var code = summary.Job.LastErrorCode ?? ErrorCatalog.SystemError.Code;
                var error = new BatchShipException(ErrorCatalog.Get(code),
                    $"Job {jobId} stopped: {summary.Job.LastErrorMessage} Fix the cause, then continue with: Resume-BatchShipment -JobId {jobId}",
                    jobId: jobId);
                ThrowTerminatingError(ErrorRecords.From(error, jobId));
                break;
            case JobStatus.Stopped:
                WriteWarning($"Job {jobId} stopped on request with {summary.Count(RowStatus.Pending)} row(s) pending. Continue with: Resume-BatchShipment -JobId {jobId}");
                break;
        }
    }

    private static string RowErrorCode(Exception stop) =>
        stop is ActionPreferenceStopException { ErrorRecord.Exception: BatchShipException b } ? b.Error.Code : ErrorCatalog.SystemError.Code;

    private void Handle(BatchEvent e, Progress progress)
    {
        switch (e)
        {
            case BatchStarted s:
                progress.Start(s.RowsToDo);
                WriteVerbose($"Job {s.JobId}: {(s.Resumed ? "resuming" : "starting")}, {s.RowsToDo} of {s.TotalRows} row(s) to ship via {s.Carrier} with template {s.Template}.");
                break;
            case RowStarted r:
                WriteVerbose($"Job {r.JobId} row {r.RowNumber}: sending (reference {r.Reference}).");
                break;
            case RowCompleted c:
                WriteObject(ShipmentResultView.From(c.Row));
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
                WriteWarning($"Job {n.JobId} row {n.Row.RowNumber}: needs review. {n.Reason} See Get-BatchShipment -JobId {n.JobId} -Status NeedsReview.");
                Tick(progress);
                break;
            case RowSkipped k when k.Because.Kind == BeginKind.AlreadyShipped:
                WriteObject(ShipmentResultView.From(k.Row));
                WriteWarning($"Job {k.JobId} row {k.Row.RowNumber}: not shipped; its order was already shipped by row {k.Because.OtherRowNumber} of job {k.Because.OtherJobId} (tracking {k.Because.OtherTrackingNumbers}).");
                Tick(progress);
                break;
            case RowSkipped k:
                WriteObject(ShipmentResultView.From(k.Row, "Held", $"Waiting for job {k.Because.OtherJobId}, which has the same order in flight or under review."));
                Tick(progress);
                break;
            case BatchCompleted or BatchFailed or BatchStopped:
                WriteVerbose($"Job {e.JobId}: run ended ({e.GetType().Name[5..]}).");
                break;
        }
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

        public void Start(long total)
        {
            _total = Math.Max(1, total);
            _clock.Start();
        }

        public ProgressRecord? Advance()
        {
            _done++;
            if (_lastWrite is { } last && _clock.Elapsed - last < Interval && _done < _total) return null;
            _lastWrite = _clock.Elapsed;
            var rate = _done / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            var left = (int)Math.Ceiling((_total - _done) / Math.Max(rate, 0.001));
            return new ProgressRecord(1, $"Shipping job {jobId}",
                string.Create(CultureInfo.InvariantCulture, $"{_done} of {_total} rows, {rate:0.0} rows/s"))
            {
                PercentComplete = (int)Math.Min(100, _done * 100 / _total),
                SecondsRemaining = Math.Max(0, left),
            };
        }

        public ProgressRecord Done() => new(1, $"Shipping job {jobId}", "Done") { RecordType = ProgressRecordType.Completed };
    }
}
