using BatchShip.Engine.Carriers;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>Unknown outcomes and rows left InFlight are settled by looking the reference up, never by sending again blindly.</summary>
public sealed class ReconciliationTests : IDisposable
{
    private readonly BatchHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task An_InFlight_row_whose_shipment_exists_is_completed_from_the_carrier_without_a_second_create()
    {
        var job = _h.Stage([BatchHarness.Order("R-1")]);
        Assert.Equal(BeginKind.Started, _h.Store.TryBeginInFlight(job.JobId, 1, "hash", allowDuplicate: false).Kind);
        var tracking = await _h.ShipDirectly(job, _h.Store.GetRow(job.JobId, 1)); // the create that "crashed" before its commit

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        var row = _h.Store.GetRow(job.JobId, 1);
        Assert.Equal([tracking], row.TrackingNumbers);
        Assert.True(Assert.Single(events.Of<RowCompleted>()).Reconciled);
        Assert.Single(_h.ReadLedger());
        Assert.DoesNotContain(_h.Store.ReadAudit(job.JobId), a => a.Event == "CarrierCreate");
        Assert.True(File.Exists(Assert.Single(row.LabelPaths)), "the label is recovered from the carrier");
    }

    [Fact]
    public async Task An_InFlight_row_whose_shipment_does_not_exist_is_shipped_once()
    {
        var job = _h.Stage([BatchHarness.Order("R-2")]);
        _h.Store.TryBeginInFlight(job.JobId, 1, "hash", allowDuplicate: false);

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.False(Assert.Single(events.Of<RowCompleted>()).Reconciled);
        var audit = _h.Store.ReadAudit(job.JobId).Select(a => a.Event).ToList();
        Assert.True(audit.IndexOf("CarrierLookup") < audit.IndexOf("CarrierCreate"), "reconciled before anything is sent");
        var shipment = Assert.Single(_h.ReadLedger());
        Assert.Equal(shipment.TrackingNumbers, _h.Store.GetRow(job.JobId, 1).TrackingNumbers);
    }

    [Fact]
    public async Task A_carrier_that_crashes_after_creating_is_restarted_and_every_row_found_by_reference()
    {
        _h.Faults = "crash_after_create=1";
        var job = _h.Stage([BatchHarness.Order("S-1"), BatchHarness.Order("S-2"), BatchHarness.Order("S-3")], new JobOptions { ThrottleLimit = 1 });

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.All(events.Of<RowCompleted>(), e => Assert.True(e.Reconciled));
        var ledger = _h.ReadLedger();
        Assert.Equal(3, ledger.Count);
        foreach (var row in _h.Store.GetRows(job.JobId))
            Assert.Equal(Assert.Single(ledger, e => e.References.Contains(row.Reference)).TrackingNumbers, row.TrackingNumbers);
    }

    [Fact]
    public async Task A_create_that_hangs_is_settled_by_lookup_on_the_live_carrier()
    {
        _h.Faults = "hang_after_create=1";
        _h.CallTimeout = TimeSpan.FromSeconds(3);
        var job = _h.Stage([BatchHarness.Order("T-1")]);

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.True(Assert.Single(events.Of<RowCompleted>()).Reconciled);
        Assert.Single(_h.ReadLedger());
        Assert.Contains(_h.Store.ReadAudit(job.JobId), a => a.Event == "OutcomeUnknown");
    }

    [Fact]
    public async Task When_nobody_can_tell_the_row_needs_review_and_is_never_sent_again()
    {
        _h.Faults = "crash_after_create=1;lookup=off";
        var job = _h.Stage([BatchHarness.Order("U-1"), BatchHarness.Order("U-2")], new JobOptions { ThrottleLimit = 1 });

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Equal("E-3007", summary.Job.LastErrorCode);
        var review = Assert.Single(events.Of<RowNeedsReview>());
        Assert.Equal(1, review.Row.RowNumber);
        Assert.Equal(RowStatus.Pending, _h.Store.GetRow(job.JobId, 2).Status); // fail-fast: row 2 not dispatched
        Assert.Single(_h.ReadLedger()); // the one create that happened, never repeated
        Assert.Equal(1, _h.Store.GetRow(job.JobId, 1).Attempts);
    }

    [Fact]
    public async Task A_person_resolves_a_row_that_needs_review_and_resume_ships_only_what_did_not_ship()
    {
        _h.Faults = "crash_after_create=1;lookup=off";
        var job = _h.Stage([BatchHarness.Order("V-1"), BatchHarness.Order("V-2")], new JobOptions { ThrottleLimit = 1 });
        await _h.RunAsync(job.JobId);
        var shipped = Assert.Single(_h.ReadLedger());

        _h.Store.ResolveAsShipped(job.JobId, 1, shipped.TrackingNumbers[0]);
        _h.Faults = null;
        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Equal(2, _h.ReadLedger().Count);
        Assert.Equal(shipped.TrackingNumbers, _h.Store.GetRow(job.JobId, 1).TrackingNumbers);
        Assert.Contains(_h.Store.ReadAudit(job.JobId), a => a.Event == "RowResolved" && a.UserName == Environment.UserName);
    }
}
