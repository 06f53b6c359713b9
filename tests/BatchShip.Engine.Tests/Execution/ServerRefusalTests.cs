using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>
/// The real servers' refusals end to end, through the real sandbox imitating them: a refusal made before the carrier
/// was called is sent once and never looked up or retried, a failed sign-in stops the job with nothing in review,
/// and a lost answer is settled by a lookup the sandbox accepts only with the body UPS requires.
/// </summary>
public sealed class ServerRefusalTests : IDisposable
{
    private readonly BatchHarness _h = new();

    public void Dispose() => _h.Dispose();

    private int Creates => _h.ReadCalls().Count(c => c.Tool == "create_shipment");

    private static KeyValuePair<string, string>[] ToCanada(string reference) =>
    [
        new("RecipientName", "Jean Tremblay"), new("Address1", "290 Bremner Blvd"), new("City", "Toronto"), new("State", "ON"),
        new("PostalCode", "M5V 3L9"), new("Country", "CA"), new("Service", "Standard"), new("WeightLb", "2.5"), new("Reference", reference),
    ];

    [Fact]
    public async Task A_row_leaving_the_us_without_customs_forms_is_refused_once_naming_the_field()
    {
        _h.Faults = "server=matt-hans";
        // The built-in template refuses such a row itself (E-2018) before sending it; a template of one's own that
        // sends no customs forms is what meets the server's refusal.
        var noInvoice = BatchHarness.UpsGround.Replace("invoice = customs_invoice country_code shipper.Country", "invoice = null", StringComparison.Ordinal);
        Assert.NotEqual(BatchHarness.UpsGround, noInvoice);
        var job = _h.Stage([ToCanada("CA-1")], template: noInvoice);

        var (summary, _) = await _h.RunAsync(job.JobId);

        var row = _h.Store.GetRow(job.JobId, 1);
        Assert.Equal(RowStatus.Failed, row.Status);
        Assert.Equal("E-2015", row.ErrorCode);
        Assert.Equal("ShipmentRequest.Shipment.ShipmentServiceOptions.InternationalForms", row.ErrorField);
        Assert.Contains("InternationalForms", row.ErrorMessage);
        Assert.Equal(1, Creates);
        Assert.DoesNotContain(_h.ReadCalls(), c => c.Tool == "recover_label");
        Assert.Empty(_h.ReadLedger());
        Assert.Equal(0, summary.Count(RowStatus.NeedsReview));
    }

    [Fact]
    public async Task A_row_missing_a_required_field_fails_with_e2015_naming_it_sent_exactly_once()
    {
        _h.Faults = "server=matt-hans";
        var job = _h.Stage([BatchHarness.Order("MISS-1", state: "")]);

        await _h.RunAsync(job.JobId);

        var row = _h.Store.GetRow(job.JobId, 1);
        Assert.Equal(RowStatus.Failed, row.Status);
        Assert.Equal("E-2015", row.ErrorCode);
        Assert.Contains("ShipmentRequest.Shipment.ShipTo.Address.StateProvinceCode", row.ErrorField);
        Assert.Equal([("create_shipment", "refused", "ELICITATION_UNSUPPORTED")], _h.ReadCalls());
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task A_refused_sign_in_stops_the_job_with_e5001_and_nothing_in_review()
    {
        _h.Faults = "oauth_fail=1";
        var job = _h.Stage([BatchHarness.Order("AUTH-1"), BatchHarness.Order("AUTH-2"), BatchHarness.Order("AUTH-3")]);

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Equal("E-5001", Assert.Single(events.Of<BatchFailed>()).Error.Error.Code);
        Assert.Equal(0, summary.Count(RowStatus.NeedsReview));
        Assert.Equal(3, summary.Count(RowStatus.Pending));
        Assert.DoesNotContain(_h.ReadCalls(), c => c.Tool == "recover_label");
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task An_unreachable_carrier_leaves_the_rows_pending_with_e3001_and_nothing_in_review()
    {
        _h.Faults = "unreachable=1";
        var job = _h.Stage([BatchHarness.Order("NET-1"), BatchHarness.Order("NET-2")]);

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Equal("E-3001", Assert.Single(events.Of<BatchFailed>()).Error.Error.Code);
        Assert.Equal(0, summary.Count(RowStatus.NeedsReview));
        Assert.Equal(2, summary.Count(RowStatus.Pending));
        Assert.DoesNotContain(_h.ReadCalls(), c => c.Tool == "recover_label");
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task A_lost_answer_is_settled_by_a_lookup_with_the_body_ups_requires()
    {
        _h.Faults = "error_after_create=1";
        var job = _h.Stage([BatchHarness.Order("LOST-1")]);

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.True(Assert.Single(events.Of<RowCompleted>()).Reconciled);
        Assert.Contains(("recover_label", "success", (string?)null), _h.ReadCalls());
        Assert.Equal(1, Creates);
        Assert.Single(_h.ReadLedger());
    }
}
