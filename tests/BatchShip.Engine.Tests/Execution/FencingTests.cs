using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>
/// Exactly-once against the faults a kill -9 never makes: a runner frozen past its lease and taken over, several
/// runners on one job, a cancel while an unknown outcome is being confirmed. Each run holds a lease of its own with its
/// fencing token; a takeover deletes the dead run's lease, and every write of that run alone fails.
/// </summary>
public abstract class FencingTests(StoreKind kind) : IDisposable
{
    private readonly BatchHarness _h = new(callTimeout: TimeSpan.FromSeconds(2), kind: kind);

    public void Dispose()
    {
        _h.Dispose();
        GC.SuppressFinalize(this);
    }

    private static RunnerIdentity OtherHost(string name) => new(name, Environment.ProcessId, RunnerIdentity.Current.ProcessStartedAt);

    [Fact]
    public void A_takeover_raises_the_epoch_and_every_write_of_the_older_run_is_refused()
    {
        var job = _h.Stage([BatchHarness.Order("F-1"), BatchHarness.Order("F-2")]);
        _h.Store.Runner = OtherHost("host-a");
        var first = _h.Store.BeginRun(job.JobId, "run-a");
        Assert.Equal(BeginKind.Started, _h.Store.TryBeginInFlight(job.JobId, 1, "h", false, first, TimeSpan.FromSeconds(1)).Kind);

        using var other = _h.OpenAgain(OtherHost("host-b"));
        other.LeaseTimeout = TimeSpan.Zero; // host-a's heartbeat is already too old for host-b
        Thread.Sleep(10);
        var second = other.BeginRun(job.JobId, "run-b");

        Assert.Equal(first.Epoch + 1, second.Epoch);
        void Fenced(Action write) => Assert.Equal("E-4009", Assert.Throws<BatchShipException>(write).Error.Code);
        Fenced(() => _h.Store.TryBeginInFlight(job.JobId, 2, "h", false, first, TimeSpan.FromSeconds(1)));
        Fenced(() => _h.Store.CompleteRow(job.JobId, 1, RowStatus.InFlight, new ShipmentFacts("1Z1", ["1Z1"], 1m, "USD", []), "test", run: first));
        Fenced(() => _h.Store.ReturnToPending(job.JobId, 1, RowStatus.InFlight, "test", first));
        Fenced(() => _h.Store.Heartbeat(first));
        Fenced(() => _h.Store.SetJobStatus(job.JobId, JobStatus.Running, JobStatus.Completed, run: first));
        _h.Store.ReleaseLease(first); // gives up nothing: the lease is the newer run's
        Assert.Equal("run-b", _h.Store.Summarize(job.JobId).Lease?.RunId);
        Assert.Equal(RowStatus.Pending, _h.Store.GetRow(job.JobId, 2).Status);
    }

    [Fact]
    public async Task A_runner_frozen_past_its_lease_and_taken_over_from_another_host_sends_nothing_when_it_wakes()
    {
        var job = _h.Stage(Enumerable.Range(1, 5).Select(i => BatchHarness.Order($"P-{i}")), new JobOptions { ThrottleLimit = 1 });
        using var frozen = new ManualResetEventSlim();
        using var thaw = new ManualResetEventSlim();
        // Runner A, on host-a, freezes right after row 2's InFlight commit, as a SIGSTOP or a suspended laptop would.
        _h.Store.Runner = OtherHost("host-a");
        var settingsA = BatchHarness.FastRetries with
        {
            StepHook = (step, row) => { if (row == 2 && !thaw.IsSet) { frozen.Set(); thaw.Wait(); } },
        };
        var observerA = new RecordingObserver();
        var runA = Task.Run(() => _h.Executor(settingsA).RunAsync(job.JobId, [observerA], CancellationToken.None));
        Assert.True(frozen.Wait(TimeSpan.FromSeconds(60)), "runner A reached row 2");

        // Runner B, on host-b, sees A's heartbeat go stale and takes over.
        using var storeB = _h.OpenAgain(OtherHost("host-b"));
        storeB.LeaseTimeout = TimeSpan.FromMilliseconds(500);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True(storeB.Summarize(job.JobId).IsInterrupted);
        var summaryB = await _h.Executor(store: storeB).RunAsync(job.JobId, [], CancellationToken.None);
        Assert.Equal(JobStatus.Completed, summaryB.Job.Status);

        thaw.Set(); // A wakes up, long past its send deadline, fenced
        var summaryA = await runA.WaitAsync(TimeSpan.FromSeconds(60));

        var failed = Assert.IsType<BatchFailed>(observerA.Events[^1]);
        Assert.Equal("E-4009", failed.Error.Error.Code);
        Assert.DoesNotContain(observerA.Of<RowStarted>(), e => e.RowNumber > 2);
        var ledger = _h.ReadLedger();
        Assert.Equal(5, ledger.Count);
        foreach (var row in _h.Store.GetRows(job.JobId))
        {
            Assert.Equal(RowStatus.Completed, row.Status);
            Assert.Single(ledger, e => e.References.Contains(row.Reference));
        }
        Assert.Equal(JobStatus.Completed, _h.Store.RequireJob(job.JobId).Status); // A wrote nothing over B's ending
        Assert.Contains(_h.Store.ReadAudit(job.JobId), a => a.Event == "LeaseTakenOver");
    }

    [Fact]
    public async Task A_runner_frozen_on_this_host_keeps_its_lease_and_a_second_run_joins_it()
    {
        var job = _h.Stage(Enumerable.Range(1, 8).Select(i => BatchHarness.Order($"S-{i}")), new JobOptions { ThrottleLimit = 1 });
        using var frozen = new ManualResetEventSlim();
        using var thaw = new ManualResetEventSlim();
        var settings = BatchHarness.FastRetries with { StepHook = (_, row) => { if (row == 2 && !thaw.IsSet) { frozen.Set(); thaw.Wait(); } } };
        var observerA = new RecordingObserver();
        var runA = Task.Run(() => _h.Executor(settings).RunAsync(job.JobId, [observerA], CancellationToken.None));
        Assert.True(frozen.Wait(TimeSpan.FromSeconds(60)));

        // Its heartbeat is long stale for a short lease, but its process (this one) and its run are alive: a second
        // run joins it instead of taking it over, ships the rows the frozen one had not claimed, and leaves it its own.
        using var again = _h.OpenAgain();
        again.LeaseTimeout = TimeSpan.FromMilliseconds(1);
        await Task.Delay(50);
        Assert.False(again.Summarize(job.JobId).IsInterrupted);
        var observerB = new RecordingObserver();
        var joined = await _h.Executor(store: again).RunAsync(job.JobId, [observerB], CancellationToken.None);
        Assert.Equal(JobStatus.Running, joined.Job.Status); // not its last runner: the frozen one still holds its rows
        Assert.NotEmpty(observerB.Of<RowCompleted>());
        Assert.DoesNotContain(_h.Store.ReadAudit(job.JobId), a => a.Event == "LeaseTakenOver");

        thaw.Set();
        var summary = await runA.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.IsType<BatchCompleted>(observerA.Events[^1]);
        var shippedA = observerA.Of<RowCompleted>().Select(e => e.Row.RowNumber).ToHashSet();
        var shippedB = observerB.Of<RowCompleted>().Select(e => e.Row.RowNumber).ToHashSet();
        Assert.Contains(2L, shippedA);
        Assert.Empty(shippedA.Intersect(shippedB));
        Assert.Equal(8, shippedA.Count + shippedB.Count);
        _h.AssertShippedOnceEach(8);
    }

    [Fact]
    public async Task Two_runners_on_two_hosts_share_one_job_and_ship_every_row_once()
    {
        _h.Faults = "latency=200ms";
        var job = _h.Stage(Enumerable.Range(1, 16).Select(i => BatchHarness.Order($"T-{i}")), new JobOptions { ThrottleLimit = 2 });
        using var storeA = _h.OpenAgain(OtherHost("host-a"));
        using var storeB = _h.OpenAgain(OtherHost("host-b"));

        // Two stations resume the job at once: the second joins the first (no E-4005), each sends the rows it claimed.
        using var together = new Barrier(2);
        var observers = new[] { new RecordingObserver(), new RecordingObserver() };
        Task<JobSummary> Runner(BatchStore store, RecordingObserver observer) => Task.Run(() =>
        {
            together.SignalAndWait();
            return _h.Executor(store: store).RunAsync(job.JobId, [observer], CancellationToken.None);
        });
        var summaries = await Task.WhenAll(Runner(storeA, observers[0]), Runner(storeB, observers[1])).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Contains(summaries, s => s.Job.Status == JobStatus.Completed);
        Assert.Equal(JobStatus.Completed, _h.Store.RequireJob(job.JobId).Status);
        var shipped = observers.Select(o => o.Of<RowCompleted>().Select(e => e.Row.RowNumber).ToList()).ToArray();
        Assert.All(shipped, Assert.NotEmpty); // both shipped some rows
        Assert.Equal(16, shipped.Sum(s => s.Count));
        Assert.Equal(16, shipped.SelectMany(s => s).Distinct().Count());
        var ledger = _h.ReadLedger();
        Assert.Equal(16, ledger.Count);
        foreach (var row in _h.Store.GetRows(job.JobId))
        {
            Assert.Equal(RowStatus.Completed, row.Status);
            Assert.Single(ledger, e => e.References.Contains(row.Reference));
        }
        var ended = _h.Store.ReadAudit(job.JobId).Where(a => a.Event == "JobStatusChanged" && a.DetailJson!.Contains("\"to\":\"Completed\"")).ToList();
        Assert.Single(ended); // the last runner wrote the ending, once
        Assert.Contains(_h.Store.ReadAudit(job.JobId), a => a.Event == "RunEnded");
    }

    [Fact]
    public void Taking_over_a_dead_runner_fences_it_alone_and_leaves_the_live_runners_rows_alone()
    {
        var job = _h.Stage(Enumerable.Range(1, 6).Select(i => BatchHarness.Order($"D-{i}")));
        using var storeA = _h.OpenAgain(OtherHost("host-a"));
        using var storeB = _h.OpenAgain(OtherHost("host-b"));
        using var storeC = _h.OpenAgain(OtherHost("host-c"));
        var a = storeA.BeginRun(job.JobId, "run-a");
        var b = storeB.BeginRun(job.JobId, "run-b"); // joins A
        Assert.Equal([1L, 2L], storeA.ClaimPendingRows(a, 2).Select(r => r.RowNumber));
        Assert.Equal([3L, 4L], storeB.ClaimPendingRows(b, 2).Select(r => r.RowNumber));
        Assert.Equal(BeginKind.Started, storeA.TryBeginInFlight(job.JobId, 1, "h", false, a).Kind);
        Assert.Equal(BeginKind.Started, storeB.TryBeginInFlight(job.JobId, 3, "h", false, b).Kind);
        Assert.Equal(BeginKind.NotPending, storeA.TryBeginInFlight(job.JobId, 4, "h", false, a).Kind); // B's to send

        // A goes silent; B keeps beating. C, on a third host, sees A's heartbeat too old and takes A alone over.
        Thread.Sleep(2500);
        Assert.Empty(storeB.Heartbeat(b));
        storeC.LeaseTimeout = TimeSpan.FromSeconds(2);
        var c = storeC.BeginRun(job.JobId, "run-c");

        Assert.True(c.Epoch > b.Epoch && b.Epoch > a.Epoch);
        Assert.Equal("E-4009", Assert.Throws<BatchShipException>(() => storeA.TryBeginInFlight(job.JobId, 2, "h", false, a)).Error.Code);
        Assert.Equal("E-4009", Assert.Throws<BatchShipException>(() => storeA.Heartbeat(a)).Error.Code);
        // C settles A's row in flight (once: it is C's now), never B's; A's claimed row went back to the pool, B's did not.
        Assert.Equal([1L], storeC.InFlightRowsOf(c).Select(r => r.RowNumber));
        Assert.Equal([2L, 5L, 6L], storeC.ClaimPendingRows(c, 10).Select(r => r.RowNumber));
        Assert.Equal(BeginKind.Started, storeB.TryBeginInFlight(job.JobId, 4, "h", false, b).Kind);
        storeB.CompleteRow(job.JobId, 3, RowStatus.InFlight, new ShipmentFacts("1Z3", ["1Z3"], 1m, "USD", []), "test", run: b);
        var taken = Assert.Single(_h.Store.ReadAudit(job.JobId), e => e.Event == "LeaseTakenOver");
        Assert.Contains("run-a", taken.DetailJson);
        Assert.Equal(["run-b", "run-c"], _h.Store.Summarize(job.JobId).Runners.Select(r => r.RunId).Order());
    }

    [Fact]
    public async Task A_dead_runners_rows_in_flight_are_settled_once_when_two_runners_start_together()
    {
        var job = _h.Stage(Enumerable.Range(1, 6).Select(i => BatchHarness.Order($"R-{i}")), new JobOptions { ThrottleLimit = 2 });
        // Runner D, on host-d, sent rows 1 and 2 and died; its last heartbeat is ten minutes old. Row 1's create landed.
        using (var storeD = _h.OpenAgain(OtherHost("host-d"), new ClockShifted(TimeSpan.FromMinutes(-10))))
        {
            var d = storeD.BeginRun(job.JobId, "run-d");
            storeD.ClaimPendingRows(d, 3);
            storeD.TryBeginInFlight(job.JobId, 1, "h", false, d);
            storeD.TryBeginInFlight(job.JobId, 2, "h", false, d);
        }
        await _h.ShipDirectly(job, _h.Store.GetRow(job.JobId, 1));

        using var storeA = _h.OpenAgain(OtherHost("host-a"));
        using var storeB = _h.OpenAgain(OtherHost("host-b"));
        using var together = new Barrier(2);
        Task<JobSummary> Runner(BatchStore store) => Task.Run(() =>
        {
            together.SignalAndWait();
            return _h.Executor(store: store).RunAsync(job.JobId, [], CancellationToken.None);
        });
        await Task.WhenAll(Runner(storeA), Runner(storeB)).WaitAsync(TimeSpan.FromSeconds(120));

        var audit = _h.Store.ReadAudit(job.JobId);
        Assert.Single(audit, e => e.Event == "LeaseTakenOver");
        Assert.Single(audit, e => e.Event == "CarrierLookup" && e.RowNumber == 1);
        Assert.Single(audit, e => e.Event == "CarrierLookup" && e.RowNumber == 2);
        Assert.Equal(JobStatus.Completed, _h.Store.RequireJob(job.JobId).Status);
        var ledger = _h.ReadLedger();
        Assert.Equal(6, ledger.Count);
        foreach (var row in _h.Store.GetRows(job.JobId)) Assert.Single(ledger, e => e.References.Contains(row.Reference));
    }

    [Fact]
    public async Task Of_two_runners_ending_at_once_only_the_last_writes_the_jobs_ending()
    {
        var job = _h.Stage([BatchHarness.Order("Z-1")]);
        using var storeA = _h.OpenAgain(OtherHost("host-a"));
        using var storeB = _h.OpenAgain(OtherHost("host-b"));
        var a = storeA.BeginRun(job.JobId, "run-a");
        var b = storeB.BeginRun(job.JobId, "run-b");

        using var together = new Barrier(2);
        JobEnding Completed(RunEndFacts facts) => new(JobStatus.Completed, null, null);
        Task<RunEnd> End(BatchStore store, RunToken run) => Task.Run(() => { together.SignalAndWait(); return store.EndRun(run, null, Completed); });
        var ends = await Task.WhenAll(End(storeA, a), End(storeB, b)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Single(ends, e => e.Ending is { Status: JobStatus.Completed });
        Assert.Single(ends, e => e.Ending is null && e.RunnersLeft == 1);
        Assert.Equal(JobStatus.Completed, _h.Store.RequireJob(job.JobId).Status);
        Assert.Single(_h.Store.ReadAudit(job.JobId), e => e.Event == "JobStatusChanged" && e.DetailJson!.Contains("\"to\":\"Completed\""));
        Assert.Empty(_h.Store.Summarize(job.JobId).Runners);
    }

    [Fact]
    public async Task Rows_another_runner_gives_back_after_the_last_runners_final_claim_are_shipped_before_the_job_ends()
    {
        var job = _h.Stage(Enumerable.Range(1, 6).Select(i => BatchHarness.Order($"G-{i}")), new JobOptions { ThrottleLimit = 1 });
        // Runner A, on another station, has claimed three rows and not sent them yet.
        using var storeA = _h.OpenAgain(OtherHost("host-a"));
        var a = storeA.BeginRun(job.JobId, "run-a");
        Assert.Equal(3, storeA.ClaimPendingRows(a, 3).Count);

        // Runner B ships the other three. Just after its last claim found nothing, A ends (Ctrl+C at its station) and
        // gives its three rows back: B is now the job's last runner, with three Pending rows nobody has claimed.
        var settings = OnceAt("before-run-end", () =>
            Assert.Null(storeA.EndRun(a, null, _ => throw new InvalidOperationException("A is not the last runner.")).Ending));
        var observer = new RecordingObserver();
        var summary = await _h.Executor(settings).RunAsync(job.JobId, [observer], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(120));

        // B claims again before it ends: the job is Completed, not Failed with "the carrier failed on them repeatedly".
        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Null(summary.Job.LastErrorCode);
        Assert.Equal(6, observer.Of<RowCompleted>().Select(e => e.Row.RowNumber).Distinct().Count());
        _h.AssertShippedOnceEach(6);
    }

    [Fact]
    public async Task A_runner_found_dead_when_the_last_one_ends_is_taken_over_and_its_rows_ship_before_the_job_ends()
    {
        var job = _h.Stage(Enumerable.Range(1, 6).Select(i => BatchHarness.Order($"D-{i}")), new JobOptions { ThrottleLimit = 1 });
        // Runner A, on host-a, claimed three rows and committed row 1 InFlight; its create never left.
        using var storeA = _h.OpenAgain(OtherHost("host-a"));
        var a = storeA.BeginRun(job.JobId, "run-a");
        Assert.Equal(3, storeA.ClaimPendingRows(a, 3).Count);
        Assert.Equal(BeginKind.Started, storeA.TryBeginInFlight(job.JobId, 1, "h", false, a, TimeSpan.FromSeconds(1)).Kind);

        // Runner B joins it (A's heartbeat is fresh) and ships the other three. Meanwhile A dies: its last heartbeat
        // comes to be ten minutes old (written through a clock shifted back), yet B's next beat is 15 s away.
        using var stale = _h.OpenAgain(OtherHost("host-a"), new ClockShifted(TimeSpan.FromMinutes(-10)));
        var settings = OnceAt("after-inflight", () => stale.Heartbeat(a));
        var summary = await _h.Executor(settings).RunAsync(job.JobId, [new RecordingObserver()], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(120));

        // B, the last runner, takes A over before it ends: row 1 settled with the carrier, rows 2 and 3 shipped.
        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Single(_h.Store.ReadAudit(job.JobId), e => e.Event == "LeaseTakenOver");
        Assert.All(_h.Store.GetRows(job.JobId), r => Assert.Equal(RowStatus.Completed, r.Status));
        _h.AssertShippedOnceEach(6);
        Assert.Equal("E-4009", Assert.Throws<BatchShipException>(() => storeA.Heartbeat(a)).Error.Code);
    }

    [Fact]
    public async Task A_runner_stopped_by_another_runners_error_ends_its_run_with_that_error_while_others_go_on()
    {
        var job = _h.Stage(Enumerable.Range(1, 4).Select(i => BatchHarness.Order($"E-{i}")), new JobOptions { ThrottleLimit = 1 });
        using var storeA = _h.OpenAgain(OtherHost("host-a"));
        using var storeC = _h.OpenAgain(OtherHost("host-c"));
        var a = storeA.BeginRun(job.JobId, "run-a");
        storeC.BeginRun(job.JobId, "run-c"); // still running: the runner under test is not the job's last
        // Runner A stopped on an error of its own (its account refused to sign in) and recorded it for the job.
        var refused = new BatchShipException(ErrorCatalog.Get("E-5001"), "The carrier refused to sign in.", jobId: job.JobId);
        Assert.Null(storeA.EndRun(a, refused, _ => throw new InvalidOperationException("A is not the last runner.")).Ending);

        var observer = new RecordingObserver();
        var summary = await _h.Executor().RunAsync(job.JobId, [observer], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        // It stops before sending anything and ends its run with A's error (so its command fails), not as a plain stop.
        var failed = Assert.IsType<BatchFailed>(observer.Events[^1]);
        Assert.Equal("E-5001", failed.Error.Error.Code);
        Assert.Contains("The carrier refused to sign in.", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Running, summary.Job.Status); // runner C ends the job
        Assert.Empty(observer.Of<RowCompleted>());
        Assert.Empty(_h.ReadLedger());
    }

    /// <summary>Fast retries, and <paramref name="act"/> done once, the first time the run reaches <paramref name="step"/>.</summary>
    private static ExecutorSettings OnceAt(string step, Action act)
    {
        var done = 0;
        return BatchHarness.FastRetries with { StepHook = (reached, _) => { if (reached == step && Interlocked.Exchange(ref done, 1) == 0) act(); } };
    }

    /// <summary>A clock shifted by a fixed amount: a runner whose heartbeats it writes look that much older (or newer).</summary>
    private sealed class ClockShifted(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }

    [Fact]
    public async Task A_cancel_while_an_unknown_outcome_is_confirmed_leaves_the_deadline_with_the_row_for_the_next_run()
    {
        var job = _h.Stage([BatchHarness.Order("C-1")]);
        // A run sent row 1's create, which is still on its way to the carrier (it lands about 1.5 s later); the row may
        // be proven absent only 15 s after its InFlight commit (its send deadline plus the call timeout), time enough
        // for that create to land even on a loaded machine.
        _h.Store.TryBeginInFlight(job.JobId, 1, "hash", allowDuplicate: false, absenceWindow: TimeSpan.FromSeconds(15));
        var orphan = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            return await _h.ShipDirectly(job, _h.Store.GetRow(job.JobId, 1));
        });

        // A resume is cancelled while it waits to trust "not found" (Ctrl+C, Select-Object -First, -ErrorAction Stop).
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(700)))
        {
            var (stopped, _) = await _h.RunAsync(job.JobId, cancel.Token);
            Assert.Equal(JobStatus.Stopped, stopped.Job.Status);
            Assert.Equal(1, stopped.Count(RowStatus.InFlight));
            Assert.Contains("Resume-BatchShipment settles them", stopped.Job.LastErrorMessage);
        }

        // The next run, at once, must not trust "not found" before the row's own deadline.
        var (summary, events) = await _h.RunAsync(job.JobId);
        var tracking = await orphan;

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Single(_h.ReadLedger());
        Assert.Equal([tracking], _h.Store.GetRow(job.JobId, 1).TrackingNumbers);
        Assert.True(Assert.Single(events.Of<RowCompleted>()).Reconciled);
    }

    [Fact]
    public async Task A_lookup_that_answers_with_another_shipment_never_completes_the_row()
    {
        var shipped = _h.Stage([BatchHarness.Order("L-1")]);
        await _h.RunAsync(shipped.JobId);
        var job = _h.Stage([BatchHarness.Order("L-2")]);
        _h.Store.TryBeginInFlight(job.JobId, 1, "hash", allowDuplicate: false); // its create was lost
        _h.Faults = "lookup=lie"; // the carrier answers every lookup with the newest shipment: L-1's

        var (summary, _) = await _h.RunAsync(job.JobId);

        var row = _h.Store.GetRow(job.JobId, 1);
        Assert.Equal(RowStatus.NeedsReview, row.Status);
        Assert.Contains("not " + row.Reference, row.ErrorMessage);
        Assert.Empty(row.TrackingNumbers);
        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Single(_h.ReadLedger());
    }

    [Fact]
    public async Task A_template_that_does_not_carry_the_reference_is_refused_before_anything_is_sent()
    {
        var template = BatchHarness.UpsGround.Replace("\"ReferenceNumber\": [{\"Value\": \"{{ reference }}\"}]", "\"Description\": \"box\"", StringComparison.Ordinal);
        Assert.NotEqual(BatchHarness.UpsGround, template);
        var job = _h.Stage([BatchHarness.Order("N-1"), BatchHarness.Order("N-2")], template: template);

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        var row = _h.Store.GetRow(job.JobId, 1);
        Assert.Equal("E-4003", row.ErrorCode);
        Assert.Contains("ReferenceNumber", row.ErrorMessage);
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task A_lookup_that_cannot_answer_does_not_restart_the_carrier_other_rows_are_using()
    {
        // Some creates are made but answered with a 500 (an unknown outcome) while the carrier stays up and other
        // rows' creates are on their way; the lookups cannot answer (lookup=off). Those rows need review: the others
        // must finish normally, not be cut off by a restart of the carrier they were using.
        _h.Faults = "latency=300ms;error_after_create=0.4;lookup=off";
        _h.Seed = 7;
        var job = _h.Stage(Enumerable.Range(1, 16).Select(i => BatchHarness.Order($"U-{i}")),
            new JobOptions { ThrottleLimit = 4, ErrorPolicy = ErrorPolicy.Continue });

        var (summary, _) = await _h.RunAsync(job.JobId);

        var review = _h.Store.GetRows(job.JobId, [RowStatus.NeedsReview]);
        Assert.NotEmpty(review);
        Assert.Equal(16, summary.Count(RowStatus.Completed) + review.Count);
        var unknown = _h.Store.ReadAudit(job.JobId).Where(a => a.Event == "OutcomeUnknown").ToList();
        Assert.Equal(review.Count, unknown.Count);
        Assert.All(unknown, a => Assert.Contains("500", a.DetailJson));
        Assert.Equal(16, _h.ReadLedger().Count); // every row was made once, the unknown ones included
    }

    [Fact]
    public async Task Retry_failed_resumes_a_job_that_completed_with_errors()
    {
        _h.Faults = "fail_codes=120802:1";
        var job = _h.Stage([BatchHarness.Order("E-1"), BatchHarness.Order("E-2")], new JobOptions { ErrorPolicy = ErrorPolicy.Continue });
        var (first, _) = await _h.RunAsync(job.JobId);
        Assert.Equal(JobStatus.CompletedWithErrors, first.Job.Status);
        Assert.Equal(2, first.Count(RowStatus.Failed));

        _h.Faults = null;
        var summary = await _h.Executor().RunAsync(job.JobId, [], CancellationToken.None, retryFailed: true);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Equal(2, _h.ReadLedger().Count);
    }

    [Fact]
    public async Task Retry_failed_on_a_job_with_nothing_to_retry_changes_nothing()
    {
        var job = _h.Stage([BatchHarness.Order("G-1")]);
        await _h.RunAsync(job.JobId);

        var error = await Assert.ThrowsAsync<BatchShipException>(() => _h.Executor().RunAsync(job.JobId, [], CancellationToken.None, retryFailed: true));

        Assert.Equal("E-4004", error.Error.Code);
        Assert.Equal(JobStatus.Completed, _h.Store.RequireJob(job.JobId).Status);
    }
}

/// <summary>The fencing tests on the per-user SQLite store.</summary>
public sealed class SqliteFencingTests() : FencingTests(StoreKind.Sqlite);

/// <summary>The fencing tests on a PostgreSQL store.</summary>
public sealed class PostgresFencingTests() : FencingTests(StoreKind.Postgres);

/// <summary>Another program holding the store's write lock: waited out while it is short, a recorded stop (never a hang) when it is not.</summary>
public sealed class StoreLockTests : IDisposable
{
    private readonly BatchHarness _h = new();

    public void Dispose() => _h.Dispose();

    private Task HoldWriteLock(TimeSpan howLong, ManualResetEventSlim held) => Task.Run(() =>
    {
        using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_h.Store.DatabasePath};Pooling=False");
        other.Open();
        using var tx = other.BeginTransaction(); // BEGIN IMMEDIATE: the write lock
        using (var cmd = other.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE jobs SET name = name";
            cmd.ExecuteNonQuery();
        }
        held.Set();
        Thread.Sleep(howLong);
        tx.Rollback();
    });

    [Fact]
    public async Task Writes_queued_behind_one_commit_share_the_next_and_a_refused_one_is_undone_alone()
    {
        var job = _h.Stage([BatchHarness.Order("GC-1"), BatchHarness.Order("GC-2")]);
        using var held = new ManualResetEventSlim();
        var locker = HoldWriteLock(TimeSpan.FromSeconds(3), held);
        held.Wait();

        // Every write waits for the other program's lock; those that queue meanwhile go into one transaction.
        var writes = Enumerable.Range(1, 8).Select(i => Task.Run(() => _h.Store.Audit(job.JobId, null, "GroupedWrite", new { i }))).ToList();
        var refused = Task.Run(() => _h.Store.CompleteRow(job.JobId, 1, RowStatus.InFlight,
            new ShipmentFacts("1ZTEST", ["1ZTEST"], 1m, "USD", []), "Created")); // row 1 is Pending, not InFlight
        await locker;
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(60));

        var e = await Assert.ThrowsAsync<BatchShipException>(() => refused.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(ErrorCatalog.JobState, e.Error);
        var audit = _h.Store.ReadAudit(job.JobId);
        Assert.Equal(8, audit.Count(a => a.Event == "GroupedWrite"));
        Assert.DoesNotContain(audit, a => a.Event == "RowCompleted"); // its audit entry went with its refused change
        Assert.Equal(RowStatus.Pending, _h.Store.GetRow(job.JobId, 1).Status);
    }

    [Fact]
    public async Task A_store_locked_for_a_while_is_waited_out()
    {
        var job = _h.Stage(Enumerable.Range(1, 6).Select(i => BatchHarness.Order($"W-{i}")), new JobOptions { ThrottleLimit = 2 });
        using var held = new ManualResetEventSlim();
        Task? locker = null;
        var observer = new RecordingObserver(e => { if (e is RowCompleted { Row.RowNumber: 1 }) { locker ??= HoldWriteLock(TimeSpan.FromSeconds(7), held); held.Wait(); } });

        var (summary, _) = await _h.RunAsync(job.JobId, observer: observer).WaitAsync(TimeSpan.FromSeconds(120));
        await locker!;

        Assert.True(held.IsSet);
        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Equal(6, _h.ReadLedger().Count);
    }

    [Fact]
    public async Task A_store_locked_too_long_stops_the_run_with_E4020_and_a_resume_finishes_it()
    {
        var job = _h.Stage(Enumerable.Range(1, 6).Select(i => BatchHarness.Order($"X-{i}")), new JobOptions { ThrottleLimit = 2 });
        _h.Store.BusyTimeout = TimeSpan.FromSeconds(1);
        using var held = new ManualResetEventSlim();
        Task? locker = null;
        var observer = new RecordingObserver(e => { if (e is RowCompleted { Row.RowNumber: 1 }) { locker ??= HoldWriteLock(TimeSpan.FromSeconds(9), held); held.Wait(); } });

        // The run must end (not wait forever on a worker that failed), saying why.
        await _h.RunAsync(job.JobId, observer: observer).WaitAsync(TimeSpan.FromSeconds(120));
        await locker!;
        var failed = Assert.IsType<BatchFailed>(observer.Events.LastOrDefault(e => e is BatchFailed or BatchCompleted or BatchStopped));
        Assert.Equal("E-4020", failed.Error.Error.Code);

        _h.Store.BusyTimeout = TimeSpan.FromMinutes(2);
        var (summary, _) = await _h.RunAsync(job.JobId);
        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        _h.AssertShippedOnceEach(6);
    }
}

/// <summary>A runner whose rows wait for their turn (a rate limit, a back-off) while another runner takes the job over.</summary>
public sealed class WaitingRowTakeoverTests : IDisposable
{
    private readonly BatchHarness _h = new(callTimeout: TimeSpan.FromSeconds(2));

    public void Dispose() => _h.Dispose();

    /// <summary>A clock some minutes ahead: to it, a runner's fresh heartbeat looks long dead.</summary>
    private sealed class ClockAhead(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }

    [Fact]
    public async Task Rows_waiting_for_the_rate_limit_cannot_be_shipped_twice_by_a_runner_that_takes_the_job_over()
    {
        var job = _h.Stage(Enumerable.Range(1, 4).Select(i => BatchHarness.Order($"RL-{i}")),
            new JobOptions { ThrottleLimit = 4, MaxRequestsPerSecond = 0.4 });
        var runA = Task.Run(() => _h.Executor().RunAsync(job.JobId, [], CancellationToken.None));
        for (var i = 0; i < 300 && _h.Store.GetRow(job.JobId, 1).Status != RowStatus.Completed; i++) await Task.Delay(100);
        Assert.Equal(RowStatus.Completed, _h.Store.GetRow(job.JobId, 1).Status);

        // Rows 2 to 4 wait for the rate limiter. A second runner whose clock runs three minutes ahead (as a runner
        // frozen that long would see it) looks at the job now.
        // The first runner's process is alive on this host, so its lease stands: the second joins it, and finds
        // nothing to send, as rows 2 to 4 are claimed by the first.
        var ahead = new ClockAhead(TimeSpan.FromMinutes(3));
        using (var storeB = _h.OpenAgain(time: ahead))
        {
            var observerB = new RecordingObserver();
            var joined = await new BatchExecutor(storeB, _h.Carrier(), BatchHarness.FastRetries, ahead).RunAsync(job.JobId, [observerB], CancellationToken.None);
            Assert.Equal(JobStatus.Running, joined.Job.Status);
            Assert.Empty(observerB.Of<RowStarted>());
        }

        await Task.WhenAny(runA, Task.Delay(TimeSpan.FromSeconds(60)));
        _h.AssertShippedOnceEach(4);
        Assert.All(_h.Store.GetRows(job.JobId), r => Assert.Equal(RowStatus.Completed, r.Status));
    }
}
