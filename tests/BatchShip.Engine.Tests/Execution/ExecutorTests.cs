using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>The row protocol against the real sandbox and a real store: asserted through the store and the ledger.</summary>
public sealed class ExecutorTests : IDisposable
{
    private readonly BatchHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Three_rows_all_succeed_and_each_is_shipped_once()
    {
        var job = _h.Stage([BatchHarness.Order("A-1"), BatchHarness.Order("A-2"), BatchHarness.Order("A-3")]);

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Equal(3, summary.Count(RowStatus.Completed));
        var rows = _h.Store.GetRows(job.JobId);
        var ledger = _h.ReadLedger();
        Assert.Equal(3, ledger.Count);
        foreach (var row in rows)
        {
            var shipment = Assert.Single(ledger, e => e.References.Contains(row.Reference));
            Assert.Equal(shipment.TrackingNumbers, row.TrackingNumbers);
            Assert.Equal(decimal.Parse(shipment.Cost, System.Globalization.CultureInfo.InvariantCulture), row.Cost);
            var label = Assert.Single(row.LabelPaths);
            Assert.True(File.Exists(label));
            Assert.StartsWith($"{job.JobId}-{row.RowNumber}-", Path.GetFileName(label));
        }
        Assert.True(summary.TotalCost > 0);
    }

    [Fact]
    public async Task Fail_fast_stops_at_the_refused_row_and_the_next_row_never_reaches_the_carrier()
    {
        // Row 2's ZIP belongs to New York, not California: the template refuses it (E-2001) before the carrier is called.
        var job = _h.Stage([BatchHarness.Order("B-1"), BatchHarness.Order("B-2", zip: "10012"), BatchHarness.Order("B-3")],
            new JobOptions { ThrottleLimit = 1 });

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Equal("E-2001", summary.Job.LastErrorCode);
        var rows = _h.Store.GetRows(job.JobId);
        Assert.Equal([RowStatus.Completed, RowStatus.Failed, RowStatus.Pending], rows.Select(r => r.Status));
        Assert.Equal("E-2001", rows[1].ErrorCode);
        var ledger = _h.ReadLedger();
        Assert.Single(ledger);
        Assert.Contains(rows[0].Reference, ledger[0].References);
        Assert.DoesNotContain(events.Of<RowStarted>(), e => e.RowNumber == 3);
        var failed = Assert.IsType<BatchFailed>(events.Events[^1]);
        Assert.Equal("E-2001", failed.Error.Error.Code);
    }

    [Fact]
    public async Task A_stopped_job_resumes_and_ships_only_the_rows_left()
    {
        var job = _h.Stage(Enumerable.Range(1, 5).Select(i => BatchHarness.Order($"C-{i}")), new JobOptions { ThrottleLimit = 1 });
        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver(e => { if (e is RowCompleted { Row.RowNumber: 2 }) cancel.Cancel(); });

        var (first, _) = await _h.RunAsync(job.JobId, cancel.Token, observer: observer);

        Assert.Equal(JobStatus.Stopped, first.Job.Status);
        Assert.Equal(2, first.Count(RowStatus.Completed));
        Assert.Equal(3, first.Count(RowStatus.Pending));
        var before = _h.Store.GetRows(job.JobId).Where(r => r.Status == RowStatus.Completed).ToDictionary(r => r.RowNumber, r => r.TrackingNumbers[0]);

        var (second, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, second.Job.Status);
        Assert.Equal([3L, 4L, 5L], events.Of<RowStarted>().Select(e => e.RowNumber).Order());
        _h.AssertShippedOnceEach(5);
        foreach (var (row, tracking) in before) Assert.Equal(tracking, _h.Store.GetRow(job.JobId, row).TrackingNumbers[0]);
    }

    [Fact]
    public async Task InFlight_is_committed_before_the_carrier_call_and_Completed_after_it()
    {
        var job = _h.Stage([BatchHarness.Order("D-1")]);

        await _h.RunAsync(job.JobId);

        var trail = _h.Store.ReadAudit(job.JobId).Where(a => a.RowNumber == 1).Select(a => a.Event).ToList();
        var inFlight = trail.IndexOf("RowInFlight");
        var call = trail.IndexOf("CarrierCreate");
        var completed = trail.IndexOf("RowCompleted");
        Assert.True(inFlight >= 0 && call > inFlight && completed > call, string.Join(", ", trail));
        Assert.NotNull(_h.Store.GetRow(job.JobId, 1).RequestHash);
    }

    [Fact]
    public async Task Tracking_numbers_are_in_the_store_when_each_row_completes()
    {
        var job = _h.Stage([BatchHarness.Order("E-1"), BatchHarness.Order("E-2")], new JobOptions { ThrottleLimit = 1 });
        var seen = new List<(long Row, RowStatus Status, int Tracking)>();
        var observer = new RecordingObserver(e =>
        {
            if (e is RowCompleted c)
            {
                var stored = _h.Store.GetRow(c.JobId, c.Row.RowNumber);
                seen.Add((stored.RowNumber, stored.Status, stored.TrackingNumbers.Count));
                // The other row has not been completed yet when the first one is reported.
                if (c.Row.RowNumber == 1) Assert.NotEqual(RowStatus.Completed, _h.Store.GetRow(c.JobId, 2).Status);
            }
        });

        await _h.RunAsync(job.JobId, observer: observer);

        Assert.Equal([(1L, RowStatus.Completed, 1), (2L, RowStatus.Completed, 1)], seen);
    }

    [Fact]
    public async Task Events_arrive_in_order_with_their_facts()
    {
        var job = _h.Stage([BatchHarness.Order("F-1"), BatchHarness.Order("F-2")], new JobOptions { ThrottleLimit = 1 });

        var (_, events) = await _h.RunAsync(job.JobId);

        var kinds = events.Events.Select(e => e.GetType().Name).ToList();
        Assert.Equal(["BatchStarted", "RowStarted", "RowCompleted", "RowStarted", "RowCompleted", "BatchCompleted"], kinds);
        Assert.All(events.Events, e => Assert.Equal(job.JobId, e.JobId));
        var started = Assert.IsType<BatchStarted>(events.Events[0]);
        Assert.Equal(2, started.TotalRows);
        Assert.Equal(2, started.RowsToDo);
        Assert.False(started.Resumed);
        var row = Assert.IsType<RowStarted>(events.Events[1]);
        Assert.Equal($"BS-{job.JobId}-1", row.Reference);
        var done = Assert.IsType<RowCompleted>(events.Events[2]);
        Assert.False(done.Reconciled);
        Assert.Matches("^1Z", done.Row.TrackingNumbers[0]);
        Assert.All(events.Events, e => Assert.Equal(TimeSpan.Zero, e.At.Offset));
    }

    [Fact]
    public async Task Audit_records_job_changes_rows_and_carrier_calls_without_secrets()
    {
        var job = _h.Stage([BatchHarness.Order("G-1")]);

        await _h.RunAsync(job.JobId);

        var audit = _h.Store.ReadAudit(job.JobId);
        Assert.Contains(audit, a => a.Event == "JobCreated");
        Assert.Contains(audit, a => a.Event == "RowsStaged");
        Assert.Contains(audit, a => a.Event == "JobStatusChanged" && a.DetailJson!.Contains("\"to\":\"Running\""));
        Assert.Contains(audit, a => a.Event == "JobStatusChanged" && a.DetailJson!.Contains("\"to\":\"Completed\""));
        Assert.Contains(audit, a => a.Event == "CarrierCreate" && a.RowNumber == 1);
        Assert.All(audit, a => Assert.Equal(Environment.UserName, a.UserName));
    }

    [Fact]
    public async Task An_empty_batch_completes_without_starting_the_carrier()
    {
        var job = _h.Stage([]);

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Equal(0, summary.Job.RowCount);
        Assert.Equal(["BatchStarted", "BatchCompleted"], events.Events.Select(e => e.GetType().Name));
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task A_row_whose_template_fails_is_failed_without_a_carrier_call()
    {
        var job = _h.Stage([[new("RecipientName", "Jane"), new("City", "Boston")]]);

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        var failed = Assert.Single(events.Of<RowFailed>());
        Assert.Equal("E-1001", failed.Error.Error.Code);
        Assert.Equal(1, failed.Error.RowNumber);
        Assert.DoesNotContain(_h.Store.ReadAudit(job.JobId), a => a.Event is "RowInFlight" or "CarrierCreate");
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task A_completed_job_cannot_be_run_again()
    {
        var job = _h.Stage([BatchHarness.Order("H-1")]);
        await _h.RunAsync(job.JobId);

        var error = await Assert.ThrowsAsync<BatchShipException>(() => _h.RunAsync(job.JobId));

        Assert.Equal("E-4004", error.Error.Code);
        Assert.Single(_h.ReadLedger());
    }
}
