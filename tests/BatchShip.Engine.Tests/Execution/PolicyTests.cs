using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>Retries that never duplicate, systemic stops, natural keys across jobs, concurrency, and the lease.</summary>
public sealed class PolicyTests : IDisposable
{
    private readonly BatchHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_429_storm_is_retried_and_every_row_ships_exactly_once()
    {
        _h.Faults = "rate_limit=0.5";
        var job = _h.Stage(Enumerable.Range(1, 12).Select(i => BatchHarness.Order($"W-{i}")), new JobOptions { ThrottleLimit = 4 });

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        _h.AssertShippedOnceEach(12);
        Assert.Contains(_h.Store.ReadAudit(job.JobId), a => a.Event == "CarrierSlowedDown"); // the whole job slowed down
    }

    [Fact]
    public async Task A_carrier_failing_on_every_call_opens_the_circuit_and_stops_the_job_resumably()
    {
        _h.Faults = "server_error=1";
        var job = _h.Stage(Enumerable.Range(1, 6).Select(i => BatchHarness.Order($"CB-{i}")), new JobOptions { ErrorPolicy = ErrorPolicy.Continue });
        var settings = BatchHarness.FastRetries with { MaxRetries = 50, BreakerMinimumThroughput = 5 };

        var (summary, _) = await _h.RunAsync(job.JobId, settings: settings);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Equal("E-3001", summary.Job.LastErrorCode);
        Assert.Contains("circuit open", summary.Job.LastErrorMessage);
        Assert.Equal(0, summary.Count(RowStatus.Failed));
        Assert.Equal(6, summary.Count(RowStatus.Pending));
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task MaxRequestsPerSecond_spaces_the_create_calls()
    {
        var job = _h.Stage(Enumerable.Range(1, 5).Select(i => BatchHarness.Order($"MR-{i}")),
            new JobOptions { ThrottleLimit = 4, MaxRequestsPerSecond = 10 });

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        // The fifth call at ten a second cannot start before four intervals have passed since the run began,
        // so the last row cannot finish sooner: a lower bound, which a slow machine can only exceed.
        var span = events.Of<RowCompleted>().Max(e => e.At) - events.Of<BatchStarted>().Single().At;
        Assert.True(span >= TimeSpan.FromMilliseconds(390), $"{span.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task An_authentication_failure_stops_the_job_and_leaves_rows_pending()
    {
        _h.Faults = "auth_fail=1";
        var job = _h.Stage([BatchHarness.Order("X-1"), BatchHarness.Order("X-2")], new JobOptions { ErrorPolicy = ErrorPolicy.Continue });

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Equal("E-5001", summary.Job.LastErrorCode);
        Assert.Equal(0, summary.Count(RowStatus.Failed));
        Assert.Equal(2, summary.Count(RowStatus.Pending));
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task Continue_records_failures_and_ends_CompletedWithErrors_within_the_budget()
    {
        var job = _h.Stage([BatchHarness.Order("Y-1"), BatchHarness.Order("Y-2", zip: "10012"), BatchHarness.Order("Y-3")],
            new JobOptions { ErrorPolicy = ErrorPolicy.Continue, MaxFailures = 5, ThrottleLimit = 1 });

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.CompletedWithErrors, summary.Job.Status);
        Assert.Equal(2, summary.Count(RowStatus.Completed));
        Assert.Equal(1, summary.Count(RowStatus.Failed));
        Assert.Equal(2, _h.ReadLedger().Count);
    }

    [Fact]
    public async Task An_order_shipped_by_another_job_is_not_shipped_again()
    {
        var first = _h.Stage([BatchHarness.Order("Z-1")]);
        await _h.RunAsync(first.JobId);
        var second = _h.Stage([BatchHarness.Order("Z-1"), BatchHarness.Order("Z-2")]);

        var (summary, events) = await _h.RunAsync(second.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        var skipped = Assert.Single(events.Of<RowSkipped>());
        Assert.Equal(BeginKind.AlreadyShipped, skipped.Because.Kind);
        Assert.Equal(first.JobId, skipped.Because.OtherJobId);
        Assert.Equal(RowStatus.AlreadyShipped, _h.Store.GetRow(second.JobId, 1).Status);
        Assert.Equal(_h.Store.GetRow(first.JobId, 1).TrackingNumbers, _h.Store.GetRow(second.JobId, 1).TrackingNumbers);
        Assert.Equal(2, _h.ReadLedger().Count);
    }

    [Fact]
    public async Task An_already_shipped_row_carries_the_earlier_shipment_without_counting_its_cost_again()
    {
        var first = _h.Stage([BatchHarness.Order("F-1")]);
        await _h.RunAsync(first.JobId);
        var second = _h.Stage([BatchHarness.Order("F-1"), BatchHarness.Order("F-2")]);

        var (summary, _) = await _h.RunAsync(second.JobId);

        var earlier = _h.Store.GetRow(first.JobId, 1);
        var again = _h.Store.GetRow(second.JobId, 1);
        Assert.Equal(RowStatus.AlreadyShipped, again.Status);
        Assert.NotNull(earlier.ShipmentId);
        Assert.Equal(earlier.ShipmentId, again.ShipmentId);
        Assert.Equal(earlier.Cost, again.Cost);
        Assert.Equal(earlier.Currency, again.Currency);
        Assert.Equal(earlier.LabelPaths, again.LabelPaths);
        Assert.Equal(_h.Store.GetRow(second.JobId, 2).Cost, summary.TotalCost);
    }

    [Fact]
    public async Task Orders_are_found_by_reference_across_jobs_with_wildcards()
    {
        var first = _h.Stage([BatchHarness.Order("Q-100"), BatchHarness.Order("Q-200")]);
        await _h.RunAsync(first.JobId);
        var second = _h.Stage([BatchHarness.Order("q-100"), BatchHarness.Order("Q-101")]);
        await _h.RunAsync(second.JobId);

        Assert.Equal([(first.JobId, 1L), (second.JobId, 1L)], _h.Store.FindRowsByOrder("Q-100").Select(r => (r.JobId, r.RowNumber)));
        Assert.Equal([(first.JobId, 1L), (second.JobId, 1L), (second.JobId, 2L)], _h.Store.FindRowsByOrder("q-1*").Select(r => (r.JobId, r.RowNumber)));
        Assert.Equal([(second.JobId, 2L)], _h.Store.FindRowsByOrder("Q-1*", [RowStatus.Completed]).Where(r => r.JobId == second.JobId).Select(r => (r.JobId, r.RowNumber)));
        Assert.Empty(_h.Store.FindRowsByOrder("Q-300"));
    }

    [Fact]
    public async Task AllowDuplicate_ships_a_known_order_deliberately()
    {
        var first = _h.Stage([BatchHarness.Order("Z-9")]);
        await _h.RunAsync(first.JobId);
        var second = _h.Stage([BatchHarness.Order("Z-9")], new JobOptions { AllowDuplicate = true });

        var (summary, _) = await _h.RunAsync(second.JobId);

        Assert.Equal(1, summary.Count(RowStatus.Completed));
        Assert.Equal(2, _h.ReadLedger().Count);
    }

    [Fact]
    public async Task An_order_in_flight_in_another_job_holds_the_row_until_that_job_is_settled()
    {
        var first = _h.Stage([BatchHarness.Order("Q-1")]);
        _h.Store.TryBeginInFlight(first.JobId, 1, "hash", allowDuplicate: false);
        var second = _h.Stage([BatchHarness.Order("Q-1")]);

        var (summary, events) = await _h.RunAsync(second.JobId);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Equal("E-4008", summary.Job.LastErrorCode);
        Assert.Equal(BeginKind.Held, Assert.Single(events.Of<RowSkipped>()).Because.Kind);
        Assert.Equal(RowStatus.Pending, _h.Store.GetRow(second.JobId, 1).Status);
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task Sixteen_workers_against_a_slow_jittery_carrier_keep_every_commit_right()
    {
        _h.Faults = "latency=40ms;jitter=30ms";
        var job = _h.Stage(Enumerable.Range(1, 48).Select(i => BatchHarness.Order($"P-{i}")), new JobOptions { ThrottleLimit = 16 });

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Equal(48, events.Of<RowCompleted>().Select(e => e.Row.RowNumber).Distinct().Count());
        var ledger = _h.ReadLedger();
        Assert.Equal(48, ledger.Count);
        foreach (var row in _h.Store.GetRows(job.JobId))
            Assert.Equal(Assert.Single(ledger, e => e.References.Contains(row.Reference)).TrackingNumbers, row.TrackingNumbers);
    }

    [Fact]
    public async Task A_job_run_by_a_live_runner_elsewhere_is_joined_and_its_lease_left_alone()
    {
        var job = _h.Stage([BatchHarness.Order("L-1")]);
        _h.Store.SetJobStatus(job.JobId, JobStatus.Created, JobStatus.Running);
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_h.Store.DatabasePath};Pooling=False"))
        {
            other.Open();
            using var cmd = other.CreateCommand();
            // Process 1 is always alive: a runner that is very much there.
            cmd.CommandText = "INSERT INTO leases(job_id, owner_pid, host, started_at, heartbeat_at, run_id, epoch) VALUES ($job, 1, $host, $now, $now, 'other-run', 0)";
            cmd.Parameters.AddWithValue("$job", job.JobId);
            cmd.Parameters.AddWithValue("$host", Environment.MachineName);
            cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcDateTime.ToString("O"));
            cmd.ExecuteNonQuery();
        }

        var (summary, events) = await _h.RunAsync(job.JobId);

        // Joined, not refused (E-4005) nor taken over: this run ships the row, and the job stays Running for the
        // runner that is still there, which ends it when it ends.
        Assert.Equal(JobStatus.Running, summary.Job.Status);
        Assert.IsType<BatchCompleted>(events.Events[^1]);
        Assert.Equal(RowStatus.Completed, _h.Store.GetRow(job.JobId, 1).Status);
        Assert.Single(_h.ReadLedger());
        var runner = Assert.Single(_h.Store.Summarize(job.JobId).Runners);
        Assert.Equal(("other-run", 1), (runner.RunId, runner.OwnerProcessId));
        Assert.DoesNotContain(_h.Store.ReadAudit(job.JobId), a => a.Event == "LeaseTakenOver");
    }

    [Fact]
    public async Task A_job_whose_runner_died_is_interrupted_and_taken_over()
    {
        var job = _h.Stage([BatchHarness.Order("K-1")]);
        _h.Store.SetJobStatus(job.JobId, JobStatus.Created, JobStatus.Running); // as if its runner was killed

        Assert.True(_h.Store.Summarize(job.JobId).IsInterrupted);
        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Single(_h.ReadLedger());
    }
}
