using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Execution;

/// <summary>
/// What the rooms of one run share: the job, the run's fencing token, the store, the observers, the call policy,
/// and why dispatch stopped. A run that learns it was fenced off (another run took the job over) stops at once
/// and sends nothing more.
/// </summary>
internal sealed class RunContext : IDisposable
{
    private readonly CancellationTokenSource _dispatch;
    private BatchShipException? _stopError;
    private int _failures;
    private int _held;
    private volatile bool _fenced;

    public RunContext(BatchStore store, JobRecord job, RunToken run, ObserverHub hub, ExecutorSettings settings,
        TimeSpan callTimeout, TimeProvider time, CancellationToken cancel, int throttleLimit, double? maxRequestsPerSecond)
    {
        Store = store;
        Job = job;
        Run = run;
        Hub = hub;
        Settings = settings;
        CallTimeout = callTimeout;
        Time = time;
        Cancel = cancel;
        Throttle = Math.Max(1, throttleLimit);
        _dispatch = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Labels = new LabelWriter(job.LabelDirectory);
        ShipperNumber = job.Shipper.TryGetValue("ShipperNumber", out var sn) ? sn : "";
        Calls = new CarrierCallPolicy(settings, Throttle, maxRequestsPerSecond, time, job.JobId, OnCallEvent);
        Template = ShipmentTemplate.Parse(job.TemplateName, job.TemplateSource);
    }

    public BatchStore Store { get; }
    public JobRecord Job { get; }
    public RunToken Run { get; }
    public ObserverHub Hub { get; }
    public ExecutorSettings Settings { get; }
    public TimeSpan CallTimeout { get; }

    /// <summary>True when the carrier can find a shipment by the row's reference, so every request must carry it.</summary>
    public bool LooksUpReferences { get; init; } = true;
    public TimeProvider Time { get; }

    /// <summary>The caller's cancellation (Ctrl+C, Select-Object -First): stops dispatch and ends waits.</summary>
    public CancellationToken Cancel { get; }

    /// <summary>Cancelled when no new row may start: the caller cancelled, a row failed under fail-fast, the run was fenced.</summary>
    public CancellationToken Dispatch => _dispatch.Token;

    public int Throttle { get; }
    public LabelWriter Labels { get; }
    public string ShipperNumber { get; }
    public CarrierCallPolicy Calls { get; }
    public ShipmentTemplate Template { get; }
    public string JobId => Job.JobId;
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>How long after its InFlight commit a row's create may still land: the send deadline plus the call timeout.</summary>
    public TimeSpan AbsenceWindow => Settings.SendDeadline + CallTimeout;

    public BatchShipException? StopError => Volatile.Read(ref _stopError);
    public int Held => Volatile.Read(ref _held);
    public string? HeldBy { get; private set; }

    /// <summary>True once a write of this run was refused because another run took the job over.</summary>
    public bool IsFenced => _fenced;

    public void Publish(BatchEvent e) => Hub.Publish(e);

    // Rows in flight this run took over from a runner that died while it ran (found by the heartbeat): the dispatcher
    // settles them with the carrier between claims.
    private readonly System.Collections.Concurrent.ConcurrentQueue<long> _takenOver = new();

    /// <summary>Queues rows (each a group's first row) this run took over while it ran, to be settled.</summary>
    public void TakeOver(IReadOnlyList<long> rowNumbers)
    {
        foreach (var row in rowNumbers) _takenOver.Enqueue(row);
    }

    /// <summary>The next row taken over while the run ran, if any.</summary>
    public bool TryTakeNextTakenOver(out long rowNumber) => _takenOver.TryDequeue(out rowNumber);

    // A slow-down is part of the job's trail; a single row's back-off is only shown.
    private void OnCallEvent(BatchEvent e)
    {
        if (e is CarrierSlowedDown s)
            Audit(null, "CarrierSlowedDown", new { requestsPerSecond = s.RequestsPerSecond, concurrency = s.Concurrency, retryAfterSeconds = s.RetryAfter?.TotalSeconds });
        Publish(e);
    }

    public void Audit(long? rowNumber, string eventName, object? detail) => Store.Audit(JobId, rowNumber, eventName, detail);

    public void CountHeld(string? otherJobId)
    {
        Interlocked.Increment(ref _held);
        HeldBy = otherJobId;
    }

    /// <summary>A row failed or cannot be settled: counts against the error policy.</summary>
    public void CountProblem(BatchShipException error)
    {
        var failures = Interlocked.Increment(ref _failures);
        if (Job.Options.ErrorPolicy == ErrorPolicy.Stop)
            StopDispatch(error);
        else if (failures > Job.Options.MaxFailures)
            StopDispatch(new BatchShipException(error.Error,
                $"{failures} rows failed, more than -MaxFailures {Job.Options.MaxFailures}; the last: {error.Message}", error.Field, error.RowNumber, JobId) { CarrierCode = error.CarrierCode });
    }

    /// <summary>No new row starts from now on; the first error given is the one the job ends with.</summary>
    public void StopDispatch(BatchShipException? error)
    {
        if (error is not null) Interlocked.CompareExchange(ref _stopError, error, null);
        try { _dispatch.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>
    /// What a worker does with an exception that escaped a row: a fenced write stops the run at once; anything else
    /// (a store that stayed locked, a bug) stops dispatch with that error, so the run ends in a recorded state
    /// instead of waiting for a worker that is gone.
    /// </summary>
    public void Fail(Exception e)
    {
        var error = e as BatchShipException ?? new BatchShipException(ErrorCatalog.SystemError, e.Message, jobId: JobId, inner: e);
        if (error.Error == ErrorCatalog.LeaseLost) _fenced = true;
        StopDispatch(error.JobId is null ? error.For(JobId, error.RowNumber) : error);
    }

    public void Dispose()
    {
        _dispatch.Dispose();
    }
}
