using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>
/// Each built-in profile of a real server, started as the sandbox imitating that server (its tool shapes, answers and
/// refusals), with the template written for it: real store, real sandbox over stdio. What the engine must do differs
/// by what the server lets it know: matt-hans settles a lost answer by lookup; ShipAgent and roscoej have no lookup
/// and never send the row's reference to UPS, so anything unknown goes to NeedsReview and is never sent again.
/// </summary>
public sealed class ServerModeTests : IDisposable
{
    private readonly BatchHarness _h = new();

    public void Dispose() => _h.Dispose();

    private int Calls(string tool) => _h.ReadCalls().Count(c => c.Tool == tool);

    private JobRecord StageFor(string profile, string template, string faults, params KeyValuePair<string, string>[][] rows)
    {
        _h.BuiltInProfile = profile;
        _h.Faults = faults;
        return _h.Stage(rows, template: BatchHarness.BuiltInTemplate(template));
    }

    // matt-hans/ups-mcp: the built-in UPS profile, ups-ground.

    [Fact]
    public async Task Matt_hans_ships_us_rows_with_the_row_reference_at_the_carrier()
    {
        var job = StageFor("UPS", "ups-ground", "server=matt-hans", BatchHarness.Order("MH-1"), BatchHarness.Order("MH-2"));

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        var ledger = _h.ReadLedger();
        Assert.Equal(2, ledger.Count);
        foreach (var row in _h.Store.GetRows(job.JobId))
            Assert.Contains(ledger, s => s.ShipmentId == row.ShipmentId && s.References.Contains(row.Reference));
    }

    [Fact]
    public async Task Matt_hans_fails_a_row_missing_a_required_field_with_e2015_naming_it_sent_once()
    {
        var job = StageFor("UPS", "ups-ground", "server=matt-hans", BatchHarness.Order("MH-MISS", state: ""));

        await _h.RunAsync(job.JobId);

        var row = _h.Store.GetRow(job.JobId, 1);
        Assert.Equal(RowStatus.Failed, row.Status);
        Assert.Equal("E-2015", row.ErrorCode);
        Assert.Contains("ShipmentRequest.Shipment.ShipTo.Address.StateProvinceCode", row.ErrorField);
        Assert.Equal([("create_shipment", "refused", "ELICITATION_UNSUPPORTED")], _h.ReadCalls());
    }

    [Fact]
    public async Task Matt_hans_stops_the_job_on_a_refused_sign_in_with_e5001_and_nothing_in_review()
    {
        var job = StageFor("UPS", "ups-ground", "server=matt-hans;oauth_fail=1", BatchHarness.Order("MH-AUTH-1"), BatchHarness.Order("MH-AUTH-2"));

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Equal("E-5001", Assert.Single(events.Of<BatchFailed>()).Error.Error.Code);
        Assert.Equal(0, summary.Count(RowStatus.NeedsReview));
        Assert.Equal(2, summary.Count(RowStatus.Pending));
        Assert.Empty(_h.ReadLedger());
    }

    [Theory]
    [InlineData("error_after_create=1")]
    [InlineData("crash_after_create=1")]
    public async Task Matt_hans_settles_a_lost_answer_by_the_lookup(string fault)
    {
        var job = StageFor("UPS", "ups-ground", "server=matt-hans;" + fault, BatchHarness.Order("MH-LOST"));

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.True(Assert.Single(events.Of<RowCompleted>()).Reconciled);
        Assert.Contains(("recover_label", "success", (string?)null), _h.ReadCalls());
        // A crashed sandbox logs no call: the ledger's one shipment is the proof that nothing was sent again.
        Assert.Equal(_h.Store.GetRow(job.JobId, 1).ShipmentId, Assert.Single(_h.ReadLedger()).ShipmentId);
    }

    // ShipAgent's TypeScript server: the built-in ShipAgentTS profile (response and errors "shipagent", no lookup), shipagent-ground.

    [Fact]
    public async Task Shipagent_ships_us_rows_with_tracking_cost_and_the_labels_read_from_its_paths()
    {
        var job = StageFor("ShipAgentTS", "shipagent-ground", "server=shipagent", BatchHarness.Order("SA-1"), BatchHarness.Order("SA-2", weight: "7"));

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        var ledger = _h.ReadLedger();
        Assert.Equal(2, ledger.Count);
        foreach (var row in _h.Store.GetRows(job.JobId))
        {
            var shipment = Assert.Single(ledger, s => s.ShipmentId == row.ShipmentId);
            Assert.Equal(shipment.TrackingNumbers, row.TrackingNumbers);
            Assert.True(row.Cost > 0m);
            Assert.Equal("USD", row.Currency);
            var label = Assert.Single(row.LabelPaths);
            // The job's own copy, read from the file the server wrote, not the server's file itself.
            Assert.DoesNotContain("shipagent-labels", label, StringComparison.Ordinal);
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(label), 0, 4));
            // The reference argument never reaches "UPS".
            Assert.Empty(shipment.References);
        }
    }

    [Fact]
    public async Task Shipagent_refusal_is_a_row_error_with_the_ups_code_from_the_brackets()
    {
        var job = StageFor("ShipAgentTS", "shipagent-ground", "server=shipagent;fail_codes=120802:1", BatchHarness.Order("SA-REF"));

        await _h.RunAsync(job.JobId);

        var row = _h.Store.GetRow(job.JobId, 1);
        Assert.Equal(RowStatus.Failed, row.Status);
        Assert.Equal("E-3003", row.ErrorCode);
        Assert.Contains("UPS 120802", row.ErrorMessage);
        Assert.Equal([("shipping_create", "refused", "120802")], _h.ReadCalls());
        Assert.Empty(_h.ReadLedger());
    }

    [Fact]
    public async Task Shipagent_refuses_a_weight_sent_as_a_string_and_the_row_fails_as_a_template_error_sent_once()
    {
        _h.BuiltInProfile = "ShipAgentTS";
        _h.Faults = "server=shipagent";
        var quoted = BatchHarness.BuiltInTemplate("shipagent-ground").Replace("\"weight\": {{ num pounds }}", "\"weight\": \"{{ pounds }}\"", StringComparison.Ordinal);
        Assert.Contains("\"weight\": \"{{ pounds }}\"", quoted, StringComparison.Ordinal);
        var job = _h.Stage([BatchHarness.Order("SA-STR")], template: quoted);

        await _h.RunAsync(job.JobId);

        var row = _h.Store.GetRow(job.JobId, 1);
        Assert.Equal(RowStatus.Failed, row.Status);
        Assert.Equal("E-4003", row.ErrorCode);
        Assert.Contains("MCP error -32602", row.ErrorMessage);
        Assert.Equal([("shipping_create", "refused", "-32602")], _h.ReadCalls());
        Assert.Empty(_h.ReadLedger());
    }

    [Theory]
    [InlineData("error_after_create=1")]
    [InlineData("crash_after_create=1")]
    public async Task Shipagent_lost_answer_goes_to_review_and_is_never_sent_again(string fault)
    {
        var job = StageFor("ShipAgentTS", "shipagent-ground", "server=shipagent;" + fault, BatchHarness.Order("SA-LOST"));

        var (first, events) = await _h.RunAsync(job.JobId);
        Assert.Equal(1, first.Count(RowStatus.NeedsReview));
        Assert.Single(events.Of<RowNeedsReview>());

        _h.Faults = "server=shipagent";
        var (resumed, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(RowStatus.NeedsReview, _h.Store.GetRow(job.JobId, 1).Status);
        Assert.Equal(1, resumed.Count(RowStatus.NeedsReview));
        // No call after the lost one (a crashed sandbox logs none), and the one shipment it made.
        Assert.True(Calls("shipping_create") <= 1);
        Assert.Single(_h.ReadLedger());
    }

    // roscoej/ups-mcp: the built-in Roscoej profile (errors "typescript", no lookup), roscoej-ground.

    [Fact]
    public async Task Roscoej_ships_us_rows()
    {
        var job = StageFor("Roscoej", "roscoej-ground", "server=typescript", BatchHarness.Order("RJ-1"), BatchHarness.Order("RJ-2"));

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        var ledger = _h.ReadLedger();
        Assert.Equal(2, ledger.Count);
        foreach (var row in _h.Store.GetRows(job.JobId))
        {
            Assert.Equal(Assert.Single(ledger, s => s.ShipmentId == row.ShipmentId).TrackingNumbers, row.TrackingNumbers);
            Assert.True(File.Exists(Assert.Single(row.LabelPaths)));
        }
    }

    [Fact]
    public async Task Roscoej_bare_text_refusal_goes_to_review_and_is_never_sent_again()
    {
        var job = StageFor("Roscoej", "roscoej-ground", "server=typescript;fail_codes=120802:1", BatchHarness.Order("RJ-REF"));

        var (first, _) = await _h.RunAsync(job.JobId);
        var row = _h.Store.GetRow(job.JobId, 1);
        // Bare text without a code proves nothing, and there is no lookup to ask: a person settles it.
        Assert.Equal(RowStatus.NeedsReview, row.Status);
        Assert.Equal("E-3007", first.Job.LastErrorCode);
        Assert.Contains("has no lookup tool", row.ErrorMessage);
        // The server's words are kept in the row's audit for that person.
        Assert.Contains(_h.Store.ReadAudit(job.JobId), a => a.Event == "OutcomeUnknown" && a.DetailJson!.Contains("Address Validation Error on ShipTo address"));
        Assert.Equal(1, first.Count(RowStatus.NeedsReview));

        _h.Faults = "server=typescript";
        await _h.RunAsync(job.JobId);

        Assert.Equal(RowStatus.NeedsReview, _h.Store.GetRow(job.JobId, 1).Status);
        Assert.Equal([("create_shipment", "refused", "120802")], _h.ReadCalls());
        Assert.Empty(_h.ReadLedger());
    }
}
