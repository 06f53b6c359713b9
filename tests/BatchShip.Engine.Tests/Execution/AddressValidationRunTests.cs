using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>-ValidateAddress in a run against the real sandbox: the validation happens with the row Pending, before
/// its create, and an address the carrier does not confirm fails its row with nothing bought.</summary>
public sealed class AddressValidationRunTests : IDisposable
{
    private readonly BatchHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static KeyValuePair<string, string>[] With(KeyValuePair<string, string>[] row, string column, string value) =>
        row.Select(c => c.Key == column ? new KeyValuePair<string, string>(column, value) : c).ToArray();

    [Fact]
    public async Task An_address_the_carrier_does_not_know_fails_before_its_create_and_the_others_ship()
    {
        var job = _h.Stage([BatchHarness.Order("V-1"), With(BatchHarness.Order("V-2"), "Address1", "1 Łódź Street")],
            new JobOptions { ValidateAddress = true, ErrorPolicy = ErrorPolicy.Continue, ThrottleLimit = 1 });

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.CompletedWithErrors, summary.Job.Status);
        Assert.Equal(RowStatus.Completed, _h.Store.GetRow(job.JobId, 1).Status);
        var failed = _h.Store.GetRow(job.JobId, 2);
        Assert.Equal(RowStatus.Failed, failed.Status);
        Assert.Equal("E-2017", failed.ErrorCode);
        Assert.Contains("Address1, City, State, PostalCode", failed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, failed.Attempts); // never went in flight
        var calls = _h.ReadCalls();
        Assert.Equal(2, calls.Count(c => c.Tool == "validate_address"));
        Assert.Equal(1, calls.Count(c => c.Tool == "create_shipment"));
        Assert.True(calls.ToList().FindIndex(c => c.Tool == "validate_address") < calls.ToList().FindIndex(c => c.Tool == "create_shipment"));
        Assert.Single(_h.ReadLedger());
    }

    [Fact]
    public async Task Without_the_switch_nothing_is_validated()
    {
        var job = _h.Stage([BatchHarness.Order("V-3")]);
        await _h.RunAsync(job.JobId);
        Assert.DoesNotContain(_h.ReadCalls(), c => c.Tool == "validate_address");
    }

    [Fact]
    public async Task A_validation_refused_for_a_rate_limit_is_retried_with_the_row_Pending()
    {
        _h.Faults = "rate_limit=0.5";
        _h.Seed = 7;
        var job = _h.Stage([BatchHarness.Order("V-4"), BatchHarness.Order("V-5"), BatchHarness.Order("V-6")],
            new JobOptions { ValidateAddress = true, ThrottleLimit = 1 });

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Contains(_h.ReadCalls(), c => c.Tool == "validate_address" && c.Code == "10429");
        Assert.Equal(3, _h.ReadLedger().Count);
    }

    [Fact]
    public async Task A_shipment_found_by_reference_after_its_answer_was_lost_has_an_unknown_cost_not_zero()
    {
        _h.Faults = "error_after_create=1";
        var job = _h.Stage([BatchHarness.Order("C-1"), BatchHarness.Order("C-2")], new JobOptions { ThrottleLimit = 1 });

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.All(events.Of<RowCompleted>(), e => Assert.True(e.Reconciled));
        Assert.All(_h.Store.GetRows(job.JobId), r => Assert.Null(r.Cost));
        Assert.Equal(2, summary.CostUnknownRows);
        Assert.Equal(0m, summary.TotalCost);
    }
}
