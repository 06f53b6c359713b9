using System.Security.Cryptography;
using System.Text;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Execution;

/// <summary>
/// Runs a staged job by the row protocol: render, commit InFlight, call the carrier, commit the outcome.
/// Unknown outcomes are looked up by reference, never sent again blindly; a run starts by reconciling
/// every row left InFlight by an earlier one. Several workers run rows at once (the job's throttle).
/// Each run holds a lease of its own with its fencing token, and several runs may run one job at once, each sending
/// the rows it claimed: once another run takes this one's lease over, every write of this one is refused and it stops.
/// </summary>
public sealed class BatchExecutor
{
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
    /// rows already sent finish their protocol. <paramref name="retryFailed"/> puts Failed rows back to Pending in
    /// the same transaction that starts the run. <paramref name="started"/> is a session already started for this job's
    /// carrier (the checks before the job was created), which the run uses first and disposes. Returns the job's final summary.
    /// </summary>
    public async Task<JobSummary> RunAsync(string jobId, IReadOnlyList<IBatchObserver> observers, CancellationToken cancellationToken,
        int? throttleLimit = null, double? maxRequestsPerSecond = null, bool retryFailed = false, ICarrierSession? started = null)
    {
        JobRecord stored;
        try
        {
            stored = _store.RequireJob(jobId);
        }
        catch
        {
            if (started is not null) await started.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        // Declared before anything else can fail, so that it is disposed on every way out, also when the run cannot begin.
        await using var carrier = Connect(throttleLimit ?? stored.Options.ThrottleLimit, started);
        var previous = stored.Status;
        // The run says it is alive before its lease exists, so that no other run of this process can see the lease
        // without its run and take it over.
        var runId = Guid.NewGuid().ToString("N");
        using var alive = RunnerIdentity.Register(runId);
        var token = _store.BeginRun(jobId, runId, retryFailed); // joins live runners, takes over dead ones
        try
        {
            var hub = new ObserverHub(observers, (o, e, ex) =>
                _store.Audit(jobId, null, "ObserverFailed", new { observer = o.GetType().Name, @event = e.GetType().Name, error = ex.Message }));
            var job = _store.RequireJob(jobId);
            using var run = new RunContext(_store, job, token, hub, _settings, _carrier.CallTimeout, _time, cancellationToken,
                throttleLimit ?? job.Options.ThrottleLimit, maxRequestsPerSecond ?? job.Options.MaxRequestsPerSecond)
            {
                LooksUpReferences = _carrier.LooksUpReferences,
            };
            var interval = TimeSpan.FromTicks(Math.Min(_settings.HeartbeatInterval.Ticks, _store.LeaseTimeout.Ticks / 4));
            using var heartbeat = new Heartbeat(() => run.TakeOver(_store.Heartbeat(token)), run.Fail, interval);
            return await new JobRun(run, carrier).ExecuteAsync(_store.Summarize(jobId), resumed: previous != JobStatus.Created).ConfigureAwait(false);
        }
        finally
        {
            // The run normally gave its lease up when it ended (JobRun); this is for one that could not.
            try { _store.ReleaseLease(token); }
            catch (BatchShipException) { } // the store stayed locked: the lease dies with this run (same host) or times out
        }
    }

    // A server that works on fewer calls at once than the run sends gets a pool of its processes, so that no call
    // waits in a server's queue while its timeout runs. The session started before the job becomes the pool's first
    // member; the run starts the others before it sends anything (CarrierConnection.GetAsync).
    private CarrierConnection Connect(int throttleLimit, ICarrierSession? started)
    {
        var members = PooledCarrierSession.MembersFor(_carrier.MaxConcurrentCalls, throttleLimit);
        if (members == 1) return new CarrierConnection(_carrier.StartAsync, started);
        var callsPerMember = _carrier.MaxConcurrentCalls!.Value;
        return new CarrierConnection(ct => PooledCarrierSession.StartAsync(_carrier, members, callsPerMember, _settings.SendDeadline, ct),
            new PooledCarrierSession(_carrier, members, callsPerMember, _settings.SendDeadline, started));
    }

    /// <summary>The request hash stored with the InFlight commit: what was asked of the carrier.</summary>
    public static string HashRequest(string requestJson) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(requestJson)));

    /// <summary>Renews the lease on a timer, one beat at a time. A beat refused because another run took the job
    /// over fences this run at once; a beat that fails otherwise (the store is busy) is tried again next time.</summary>
    private sealed class Heartbeat : IDisposable
    {
        private readonly Timer _timer;
        private int _beating;

        public Heartbeat(Action beat, Action<Exception> fenced, TimeSpan interval)
        {
            _timer = new Timer(_ =>
            {
                if (Interlocked.Exchange(ref _beating, 1) == 1) return;
                try { beat(); }
                catch (BatchShipException e) when (e.Error == ErrorCatalog.LeaseLost) { fenced(e); }
#pragma warning disable CA1031 // a missed heartbeat is retried at the next tick
                catch (Exception) { }
#pragma warning restore CA1031
                finally { Volatile.Write(ref _beating, 0); }
            }, null, interval, interval);
        }

        public void Dispose()
        {
            using var done = new ManualResetEvent(false);
            if (_timer.Dispose(done)) done.WaitOne(); // no beat may land after the lease is released
        }
    }
}
