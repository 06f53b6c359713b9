using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Execution;

/// <summary>
/// Runs a staged job by the row protocol: render, commit InFlight, call the carrier, commit the outcome.
/// Unknown outcomes are looked up by reference, never sent again blindly; a run starts by reconciling
/// every row left InFlight by an earlier one. Several workers run rows at once (the job's throttle).
/// </summary>
public sealed class BatchExecutor
{
    private const int PageSize = 256;
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(250);
    private readonly BatchStore _store;
    private readonly ICarrierSessionFactory _carrier;
    private readonly ExecutorSettings _settings;
    private readonly TimeProvider _time;

    /// <param name="store">The store holding the job.</param>
    /// <param name="carrier">Starts sessions with the job's carrier; called again to restart a dead one.</param>
    /// <param name="settings">Retry and heartbeat tuning.</param>
    /// <param name="time">The clock.</param>
    public BatchExecutor(BatchStore store, ICarrierSessionFactory carrier,
        ExecutorSettings? settings = null, TimeProvider? time = null)
    {
        _store = store;
        _carrier = carrier;
        _settings = settings ?? new ExecutorSettings();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs (or resumes) the job until it ends, is stopped, or fails. Cancelling the token stops dispatch;
    /// rows already in flight finish their protocol. Returns the job's final summary.
    /// </summary>
    public async Task<JobSummary> RunAsync(string jobId, IReadOnlyList<IBatchObserver> observers, CancellationToken cancellationToken,
        int? throttleLimit = null, double? maxRequestsPerSecond = null)
    {
        var job = _store.RequireJob(jobId);
        var before = _store.Summarize(jobId);
        if (!job.StagingComplete)
            throw new BatchShipException(ErrorCatalog.JobState,
                $"Job {jobId} was cut short while its rows were being staged; nothing was shipped. Run Start-BatchShipment again with the same input.", jobId: jobId);
        if (job.Status is JobStatus.Completed or JobStatus.CompletedWithErrors && before.Count(RowStatus.Pending) == 0 && before.Count(RowStatus.InFlight) == 0)
            throw new BatchShipException(ErrorCatalog.JobState, $"Job {jobId} is already {job.Status}; there is nothing left to ship.", jobId: jobId);
        if (job.Status == JobStatus.Running && !before.IsInterrupted)
            throw new BatchShipException(ErrorCatalog.JobBusy,
                $"Job {jobId} is running in process {before.Lease?.OwnerProcessId} on {before.Lease?.Host} since {before.Lease?.StartedAt:u}.", jobId: jobId);

        _store.AcquireLease(jobId); // refuses a live runner, takes over a dead one
        var hub = new ObserverHub(observers, (o, e, ex) =>
            _store.Audit(jobId, null, "ObserverFailed", new { observer = o.GetType().Name, @event = e.GetType().Name, error = ex.Message }));
        try
        {
            var current = _store.RequireJob(jobId).Status;
            if (current != JobStatus.Running) _store.SetJobStatus(jobId, current, JobStatus.Running);
            else _store.SetJobStatus(jobId, JobStatus.Running, JobStatus.Running); // an Interrupted job, taken over

            using var heartbeat = new Timer(_ => SafeHeartbeat(jobId), null, _settings.HeartbeatInterval, _settings.HeartbeatInterval);
            var stored = _store.RequireJob(jobId);
            var run = new Run(this, stored, hub, cancellationToken, throttleLimit ?? stored.Options.ThrottleLimit,
                maxRequestsPerSecond ?? stored.Options.MaxRequestsPerSecond, AbsenceProvableAt(before));
            return await run.ExecuteAsync(before).ConfigureAwait(false);
        }
        finally
        {
            _store.ReleaseLease(jobId);
        }
    }

    /// <summary>
    /// When a lookup that finds nothing proves that a create an earlier runner sent will never land. A runner killed
    /// alone (kill -9, the OOM killer) leaves its carrier process, or the carrier itself, finishing the create it was
    /// sent; a lookup made before that is done finds nothing, and sending again would ship the row twice. The dead
    /// runner sent its last create before it died, and it died at most two heartbeats after its last one (or before
    /// now); such a create lands within the call timeout or counts as unknown anyway. Null: no runner died.
    /// </summary>
    private DateTimeOffset? AbsenceProvableAt(JobSummary before)
    {
        if (!before.IsInterrupted || before.Lease is not { } dead) return null;
        var now = _time.GetUtcNow();
        var diedBy = dead.HeartbeatAt + 2 * _settings.HeartbeatInterval;
        return (diedBy < now ? diedBy : now) + _carrier.CallTimeout;
    }

    private void SafeHeartbeat(string jobId)
    {
        try { _store.Heartbeat(jobId); }
#pragma warning disable CA1031 // a missed heartbeat is retried at the next tick
        catch (Exception) { }
#pragma warning restore CA1031
    }

    /// <summary>The request hash stored with the InFlight commit: what was asked of the carrier.</summary>
    public static string HashRequest(string requestJson) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(requestJson)));

    /// <summary>One run of one job: its workers, its stop reasons, its counters.</summary>
    private sealed class Run
    {
        private readonly BatchExecutor _owner;
        private readonly JobRecord _job;
        private readonly ObserverHub _hub;
        private readonly CancellationToken _cancel;
        private readonly int _throttle;
        private readonly CancellationTokenSource _dispatch;
        private readonly CarrierCallPolicy _calls;
        private readonly LabelWriter _labels;
        private readonly string _shipperNumber;
        private ShipmentTemplate? _template;
        private BatchShipException? _stopError;   // why dispatch stopped, when it was an error
        private int _failures;
        private int _held;
        private string? _heldBy;
        private readonly DateTimeOffset? _absenceProvableAt;

        public Run(BatchExecutor owner, JobRecord job, ObserverHub hub, CancellationToken cancel, int throttleLimit,
            double? maxRequestsPerSecond, DateTimeOffset? absenceProvableAt)
        {
            _absenceProvableAt = absenceProvableAt;
            _throttle = Math.Max(1, throttleLimit);
            _owner = owner;
            _job = job;
            _hub = hub;
            _cancel = cancel;
            _dispatch = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            _labels = new LabelWriter(job.LabelDirectory);
            _shipperNumber = job.Shipper.TryGetValue("ShipperNumber", out var sn) ? sn : "";
            _calls = new CarrierCallPolicy(owner._settings, _throttle, maxRequestsPerSecond, owner._time,
                limit => owner._store.Audit(job.JobId, null, "CarrierSlowedDown", new { concurrency = limit }));
        }

        private string JobId => _job.JobId;

        private DateTimeOffset Now => _owner._time.GetUtcNow();

        public async Task<JobSummary> ExecuteAsync(JobSummary before)
        {
            _labels.RemoveLeftovers();
            await using var carrier = new CarrierConnection(_owner._carrier.StartAsync);
            try
            {
                _template = ShipmentTemplate.Parse(_job.TemplateName, _job.TemplateSource);
                var toDo = before.Count(RowStatus.Pending) + before.Count(RowStatus.InFlight);
                _hub.Publish(new BatchStarted(JobId, Now, _job.RowCount, toDo, _job.Carrier, _job.TemplateName, before.Job.Status != JobStatus.Created));

                if (toDo > 0) await carrier.GetAsync(_cancel).ConfigureAwait(false);

                // Step 6: every row an earlier run left InFlight is settled before anything new is sent.
                foreach (var row in _owner._store.GetRows(JobId, [RowStatus.InFlight]))
                    await ReconcileAsync(row, carrier, resendIfAbsent: false, absenceProvableAt: _absenceProvableAt).ConfigureAwait(false);

                await DispatchAsync(carrier).ConfigureAwait(false);
            }
            catch (BatchShipException e) when (_stopError is null)
            {
                _stopError = e.For(JobId, e.RowNumber);
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                // Ctrl+C while starting the carrier or reconciling: the job is Stopped below.
            }
#pragma warning disable CA1031 // the job must always end in a recorded state, whatever went wrong
            catch (Exception e) when (_stopError is null)
            {
                _stopError = new BatchShipException(ErrorCatalog.SystemError, e.Message, jobId: JobId, inner: e);
            }
#pragma warning restore CA1031
            return Finish();
        }

        private async Task DispatchAsync(CarrierConnection carrier)
        {
            var workers = _throttle;
            var queue = Channel.CreateBounded<RowRecord>(new BoundedChannelOptions(workers) { SingleWriter = true });
            var consumers = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                await foreach (var row in queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    if (_dispatch.IsCancellationRequested) continue; // drain: rows not yet started stay Pending
                    await ProcessAsync(row, carrier).ConfigureAwait(false);
                }
            })).ToArray();

            try
            {
                long after = 0;
                // Stop-BatchShipment is read from the store between rows, but at most a few times a second:
                // a query per row would contend with the row commits for nothing.
                var lastStopCheck = -StopCheckInterval; // so the first row checks
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (!_dispatch.IsCancellationRequested)
                {
                    var page = _owner._store.PendingRows(JobId, after, PageSize);
                    if (page.Count == 0) break;
                    foreach (var row in page)
                    {
                        if (_dispatch.IsCancellationRequested) break;
                        if (clock.Elapsed - lastStopCheck >= StopCheckInterval)
                        {
                            lastStopCheck = clock.Elapsed;
                            if (_owner._store.IsStopRequested(JobId)) { StopDispatch(null); break; }
                        }
                        await queue.Writer.WriteAsync(row, _dispatch.Token).ConfigureAwait(false);
                        after = row.RowNumber;
                    }
                }
            }
            catch (OperationCanceledException) when (_dispatch.IsCancellationRequested)
            {
            }
            finally
            {
                queue.Writer.Complete();
                await Task.WhenAll(consumers).ConfigureAwait(false);
            }
        }

        private async Task ProcessAsync(RowRecord row, CarrierConnection carrier)
        {
            _hub.Publish(new RowStarted(JobId, Now, row.RowNumber, row.Reference));
            for (var sends = 0; ; sends++)
            {
                // Step 1: render. A failure is the row's error; the carrier is never called.
                string request;
                try
                {
                    request = _template!.Render(new TemplateInput(row.RowNumber, row.Input, _job.Shipper, JobId, _job.Name, row.Reference));
                }
                catch (BatchShipException e)
                {
                    RecordFailure(row, RowStatus.Pending, e.For(JobId, row.RowNumber));
                    return;
                }

                // Step 2: InFlight, durably, with the natural-key rule in the same transaction.
                var begin = _owner._store.TryBeginInFlight(JobId, row.RowNumber, HashRequest(request), _job.Options.AllowDuplicate);
                switch (begin.Kind)
                {
                    case BeginKind.NotPending:
                        return;
                    case BeginKind.AlreadyShipped:
                        _hub.Publish(new RowSkipped(JobId, Now, _owner._store.GetRow(JobId, row.RowNumber), begin));
                        return;
                    case BeginKind.Held:
                        Interlocked.Increment(ref _held);
                        _heldBy = begin.OtherJobId;
                        _hub.Publish(new RowSkipped(JobId, Now, row, begin));
                        return;
                }

                _owner._settings.CrashAt?.Reached("after-inflight", row.RowNumber);

                // Step 3: the carrier call. Only refusals that prove nothing was made are retried.
                var session = await carrier.GetAsync(CancellationToken.None).ConfigureAwait(false);
                CreateOutcome outcome;
                try
                {
                    outcome = await _calls.CreateAsync(session, request).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // whatever the client threw, the shipment may exist: treat as unknown
                catch (Exception e)
                {
                    outcome = new CreateOutcome.Unknown(e.Message, e);
                }
#pragma warning restore CA1031
                var carrierCall = new { outcome = outcome.GetType().Name, code = (outcome as CreateOutcome.Refused)?.Error.CarrierCode };
                // A created shipment's call is recorded in the Completed commit (one fsync fewer per row);
                // every other outcome is recorded on its own before the row moves.
                if (outcome is not CreateOutcome.Created) _owner._store.Audit(JobId, row.RowNumber, "CarrierCreate", carrierCall);

                switch (outcome)
                {
                    case CreateOutcome.Created created:
                        // Step 4: labels on disk, then the durable Completed commit.
                        Complete(row, RowStatus.InFlight, created.Shipment, reconciled: false, carrierCall);
                        return;

                    case CreateOutcome.Refused refused when refused.Error.Error.IsSystemic || refused.Error.Error.Retryable:
                        // Not the row's fault (authentication, outage, rate limit that outlasted the retries):
                        // nothing was made, so the row goes back to Pending and the job stops, resumable.
                        _owner._store.ReturnToPending(JobId, row.RowNumber, RowStatus.InFlight, refused.Error.Message);
                        StopDispatch(refused.Error.For(JobId, row.RowNumber));
                        return;

                    case CreateOutcome.Refused refused:
                        RecordFailure(row, RowStatus.InFlight, refused.Error.For(JobId, row.RowNumber));
                        return;

                    case CreateOutcome.Unknown unknown:
                        // Step 5, ambiguous: never send again blindly. Ask the carrier for the reference.
                        _owner._store.Audit(JobId, row.RowNumber, "OutcomeUnknown", new { unknown.Reason });
                        // The create may still land (a slow carrier, a request already handed on): a "not found"
                        // proves absence only once another call timeout has passed.
                        var settled = await ReconcileAsync(_owner._store.GetRow(JobId, row.RowNumber), carrier, resendIfAbsent: true,
                            failed: session, absenceProvableAt: Now + _owner._carrier.CallTimeout).ConfigureAwait(false);
                        if (!settled || sends >= _owner._settings.MaxResends || _dispatch.IsCancellationRequested) return;
                        row = _owner._store.GetRow(JobId, row.RowNumber);
                        if (row.Status != RowStatus.Pending) return;
                        continue; // proven absent: send it again
                }
                return;
            }
        }

        /// <summary>Settles an InFlight row by looking its reference up. Returns true when it went back to
        /// Pending (proven absent) and may be sent again.</summary>
        private async Task<bool> ReconcileAsync(RowRecord row, CarrierConnection carrier, bool resendIfAbsent,
            ICarrierSession? failed = null, DateTimeOffset? absenceProvableAt = null)
        {
            var lookup = await LookUpAsync(row, carrier, failed).ConfigureAwait(false);
            if (lookup is LookupOutcome.NotFound && absenceProvableAt is { } provable && provable - Now is var wait && wait > TimeSpan.Zero)
            {
                // A create whose outcome is unknown (sent by this run, or by a runner that died moments ago) may still
                // be on its way. Ask again once it would have landed or timed out, before the row may be sent again.
                _owner._store.Audit(JobId, row.RowNumber, "LookupDeferred", new { row.Reference, until = provable });
                await Task.Delay(wait, _owner._time, _cancel).ConfigureAwait(false);
                lookup = await LookUpAsync(row, carrier, null).ConfigureAwait(false);
            }

            switch (lookup)
            {
                case LookupOutcome.Found found:
                    Complete(row, RowStatus.InFlight, found.Shipment, reconciled: true);
                    return false;
                case LookupOutcome.NotFound:
                    _owner._store.ReturnToPending(JobId, row.RowNumber, RowStatus.InFlight, "Not found at the carrier by reference.");
                    return resendIfAbsent;
                case LookupOutcome.Unavailable unavailable:
                    var reason = $"The carrier could not say whether reference {row.Reference} was shipped: {unavailable.Reason}";
                    _owner._store.MarkNeedsReview(JobId, row.RowNumber, reason);
                    _hub.Publish(new RowNeedsReview(JobId, Now, _owner._store.GetRow(JobId, row.RowNumber), reason));
                    // A row nobody can settle counts against the error policy like a failure: under fail-fast
                    // the run stops before more rows land in a person's lap.
                    CountProblem(new BatchShipException(ErrorCatalog.OutcomeUnknown, reason, rowNumber: row.RowNumber, jobId: JobId));
                    return false;
            }
            return false;
        }

        private async Task<LookupOutcome> LookUpAsync(RowRecord row, CarrierConnection carrier, ICarrierSession? failed)
        {
            LookupOutcome lookup;
            try
            {
                // A carrier that died with the create cannot answer; a fresh process can. One that is alive
                // but cannot answer (hung) gets one restart before the row is handed to a person.
                var session = await carrier.GetAsync(CancellationToken.None).ConfigureAwait(false);
                if (failed is not null && !failed.IsAlive) session = await carrier.RestartAsync(failed, CancellationToken.None).ConfigureAwait(false);
                lookup = await session.LookupByReferenceAsync(row.Reference, _shipperNumber, CancellationToken.None).ConfigureAwait(false);
                if (lookup is LookupOutcome.Unavailable && (failed is not null || !session.IsAlive))
                {
                    session = await carrier.RestartAsync(session, CancellationToken.None).ConfigureAwait(false);
                    lookup = await session.LookupByReferenceAsync(row.Reference, _shipperNumber, CancellationToken.None).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // a lookup that cannot run cannot tell: the row needs review
            catch (Exception e)
            {
                lookup = new LookupOutcome.Unavailable(e.Message);
            }
#pragma warning restore CA1031
            _owner._store.Audit(JobId, row.RowNumber, "CarrierLookup", new { outcome = lookup.GetType().Name, row.Reference });
            return lookup;
        }

        private void Complete(RowRecord row, RowStatus from, CreatedShipment shipment, bool reconciled, object? carrierCall = null)
        {
            _owner._settings.CrashAt?.Reached("after-create", row.RowNumber);
            IReadOnlyList<string> paths;
            try
            {
                paths = _labels.Write(JobId, row.RowNumber, shipment.Packages);
            }
            catch (BatchShipException e)
            {
                // The shipment exists: it must be recorded, even if its label could not be saved where asked.
                // The label is paid for too: keep it in the store (private) for Get-BatchShipment -SaveLabel.
                try { paths = LabelWriter.KeepUnsaved(_owner._store.Folder, JobId, row.RowNumber, shipment.Packages); }
                catch (BatchShipException) { paths = []; }
                if (carrierCall is not null) _owner._store.Audit(JobId, row.RowNumber, "CarrierCreate", carrierCall); // keeps the trail in order
                carrierCall = null;
                _owner._store.Audit(JobId, row.RowNumber, "LabelNotWritten", new { e.Message });
            }
            _owner._settings.CrashAt?.Reached("after-label", row.RowNumber);
            var facts = new ShipmentFacts(shipment.ShipmentId, shipment.Packages.Select(p => p.TrackingNumber).ToList(), shipment.Cost, shipment.Currency, paths);
            _owner._store.CompleteRow(JobId, row.RowNumber, from, facts, reconciled ? "Reconciled" : "Created", carrierCall);
            _hub.Publish(new RowCompleted(JobId, Now, _owner._store.GetRow(JobId, row.RowNumber), reconciled));
        }

        private void RecordFailure(RowRecord row, RowStatus from, BatchShipException error)
        {
            _owner._store.FailRow(JobId, row.RowNumber, from, error);
            _hub.Publish(new RowFailed(JobId, Now, _owner._store.GetRow(JobId, row.RowNumber), error));
            CountProblem(error);
        }

        private void CountProblem(BatchShipException error)
        {
            var failures = Interlocked.Increment(ref _failures);
            if (_job.Options.ErrorPolicy == ErrorPolicy.Stop)
                StopDispatch(error);
            else if (failures > _job.Options.MaxFailures)
                StopDispatch(new BatchShipException(error.Error,
                    $"{failures} rows failed, more than -MaxFailures {_job.Options.MaxFailures}; the last: {error.Message}", error.Field, error.RowNumber, JobId) { CarrierCode = error.CarrierCode });
        }

        private void StopDispatch(BatchShipException? error)
        {
            if (error is not null) Interlocked.CompareExchange(ref _stopError, error, null);
            try { _dispatch.Cancel(); } catch (ObjectDisposedException) { }
        }

        private JobSummary Finish()
        {
            var store = _owner._store;
            var counts = store.Summarize(JobId);
            JobStatus final;
            BatchShipException? error = _stopError;
            if (error is null && counts.Count(RowStatus.NeedsReview) > 0 && !_cancel.IsCancellationRequested && !store.IsStopRequested(JobId))
                error = new BatchShipException(ErrorCatalog.OutcomeUnknown,
                    $"{counts.Count(RowStatus.NeedsReview)} row(s) need review: the carrier could not say whether they shipped.", jobId: JobId);
            if (error is null && _held > 0 && counts.Count(RowStatus.Pending) > 0 && !_cancel.IsCancellationRequested)
                error = new BatchShipException(ErrorCatalog.HeldByOtherJob,
                    $"{_held} row(s) wait for job {_heldBy}, which has the same orders in flight or under review.", jobId: JobId);

            var stoppedOnRequest = _cancel.IsCancellationRequested || store.IsStopRequested(JobId);
            if (error is null && !stoppedOnRequest && counts.Count(RowStatus.Pending) > 0)
                // Nobody asked to stop, yet rows are left: the carrier kept failing on them without making
                // the shipments (each proven absent, resent up to the limit). Say so: a scheduled run must fail.
                error = new BatchShipException(ErrorCatalog.CarrierUnavailable,
                    $"{counts.Count(RowStatus.Pending)} row(s) could not be shipped: the carrier failed on them repeatedly without making the shipments.", jobId: JobId);

            if (error is not null) final = JobStatus.Failed;
            else if (stoppedOnRequest) final = JobStatus.Stopped;
            else if (counts.Count(RowStatus.Failed) > 0) final = JobStatus.CompletedWithErrors;
            else final = JobStatus.Completed;

            store.SetJobStatus(JobId, JobStatus.Running, final, error?.Error.Code, error?.Message);
            var summary = store.Summarize(JobId);
            _hub.Publish(final switch
            {
                JobStatus.Failed => new BatchFailed(JobId, Now, summary, error!),
                JobStatus.Stopped => new BatchStopped(JobId, Now, summary),
                _ => new BatchCompleted(JobId, Now, summary),
            });
            _dispatch.Dispose();
            _calls.Dispose();
            return summary;
        }
    }
}
