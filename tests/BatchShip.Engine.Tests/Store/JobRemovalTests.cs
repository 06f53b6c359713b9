using System.Text.Json;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Tests.Store;

/// <summary>Removing a job forgets its rows, never what they bought: the audit keeps the shipments and the orders stay shipped.</summary>
public abstract class JobRemovalTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStoreSource _source;
    private readonly BatchStore _store;

    protected JobRemovalTests(StoreKind kind)
    {
        _source = new TestStoreSource(kind, _folder.Path);
        _store = _source.Open();
    }

    public void Dispose()
    {
        _store.Dispose();
        _source.Dispose();
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void The_JobRemoved_audit_entry_lists_every_completed_row_with_its_tracking_numbers_shipment_id_and_cost()
    {
        var job = Stage("a", "b", "c");
        Ship(job.JobId, 1, "1ZAAA", 12.5m);
        Ship(job.JobId, 2, "1ZBBB", 7.25m);
        _store.SetJobStatus(job.JobId, JobStatus.Created, JobStatus.Running);
        _store.SetJobStatus(job.JobId, JobStatus.Running, JobStatus.Stopped);

        var removed = _store.RemoveJob(job.JobId, force: false);

        Assert.Equal(19.75m, removed.TotalCost);
        Assert.Equal(2, removed.CompletedRows);
        Assert.Equal(2, removed.KeptOrders);
        Assert.Null(_store.GetJob(job.JobId));
        Assert.Empty(_store.GetRows(job.JobId));
        var entry = Assert.Single(_store.ReadAudit(job.JobId), e => e.Event == "JobRemoved");
        using var detail = JsonDocument.Parse(entry.DetailJson!);
        var shipments = detail.RootElement.GetProperty("shipments").EnumerateArray().ToList();
        Assert.Equal(2, shipments.Count);
        Assert.Equal("1ZAAA", shipments[0].GetProperty("trackingNumbers")[0].GetString());
        Assert.Equal("1ZAAA", shipments[0].GetProperty("shipmentId").GetString());
        Assert.Equal("12.5", shipments[0].GetProperty("cost").GetString());
        Assert.Equal("7.25", shipments[1].GetProperty("cost").GetString());
        Assert.Equal(19.75m, detail.RootElement.GetProperty("totalCost").GetDecimal());
    }

    [Fact]
    public void An_order_of_a_removed_job_is_still_already_shipped_and_its_shipment_still_belongs_to_it()
    {
        var first = Stage("a");
        Ship(first.JobId, 1, "1ZAAA", 1m);
        _store.RemoveJob(first.JobId, force: false);

        var second = Stage("a", "b");
        var begin = _store.TryBeginInFlight(second.JobId, 1, "h", allowDuplicate: false);
        Assert.Equal(BeginKind.AlreadyShipped, begin.Kind);
        Assert.Equal(first.JobId, begin.OtherJobId);
        Assert.Equal("1ZAAA", begin.OtherTrackingNumbers);
        Assert.Contains("removed job", _store.FindLiveShipment("a"), StringComparison.Ordinal);
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(second.JobId, 2, "h", allowDuplicate: false).Kind);
        Assert.Contains(first.JobId, _store.FindShipmentOwner(second.JobId, 2, "1ZAAA", ["1ZAAA"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_with_a_row_in_flight_is_refused_unless_forced_and_then_its_order_stays_blocked()
    {
        var job = Stage("a");
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(job.JobId, 1, "h", false).Kind);
        var refused = Assert.Throws<BatchShipException>(() => _store.RemoveJob(job.JobId, force: false));
        Assert.Equal("E-4040", refused.Error.Code);
        Assert.NotNull(_store.GetJob(job.JobId));

        _store.RemoveJob(job.JobId, force: true);
        var again = Stage("a");
        Assert.Equal(BeginKind.AlreadyShipped, _store.TryBeginInFlight(again.JobId, 1, "h", false).Kind);
        Assert.Contains("may have shipped", _store.GetRow(again.JobId, 1).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_voided_shipment_does_not_block_its_order_after_the_removal()
    {
        var job = Stage("a");
        Ship(job.JobId, 1, "1ZAAA", 1m);
        _store.BeginVoid(job.JobId, 1);
        Assert.True(_store.MarkVoided(job.JobId, 1, alreadyVoidedAtCarrier: false, "test"));
        Assert.Equal(0, _store.RemoveJob(job.JobId, force: false).KeptOrders);
        var again = Stage("a");
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(again.JobId, 1, "h", false).Kind);
    }

    [Fact]
    public void A_job_removed_while_it_is_staged_stops_its_staging_with_E_4004()
    {
        var job = _store.CreateJob(new NewJob("t", "ups-ground", "{}", "Sandbox", new Dictionary<string, string>(), null, new JobOptions()));
        var stager = _store.BeginStaging(job.JobId);
        stager.Add([KeyValuePair.Create("Reference", "a")], "a");
        _store.RemoveJob(job.JobId, force: false);
        var error = Assert.Throws<BatchShipException>(() => stager.Complete());
        Assert.Equal("E-4004", error.Error.Code);
        Assert.Empty(_store.GetRows(job.JobId));
    }

    [Fact]
    public void An_unknown_job_is_E_4006()
    {
        Assert.Equal("E-4006", Assert.Throws<BatchShipException>(() => _store.RemoveJob("nosuchjb", false)).Error.Code);
    }

    private JobRecord Stage(params string[] keys)
    {
        var job = _store.CreateJob(new NewJob("t", "ups-ground", "{}", "Sandbox", new Dictionary<string, string>(), null, new JobOptions()));
        var stager = _store.BeginStaging(job.JobId);
        foreach (var key in keys) stager.Add([KeyValuePair.Create("Reference", key)], key);
        stager.Complete();
        return job;
    }

    private void Ship(string jobId, long row, string tracking, decimal cost)
    {
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(jobId, row, "h", false).Kind);
        _store.CompleteRow(jobId, row, RowStatus.InFlight, new ShipmentFacts(tracking, [tracking], cost, "USD", []), "test");
    }
}

/// <summary>Job removal on the per-user SQLite store.</summary>
public sealed class SqliteJobRemovalTests() : JobRemovalTests(StoreKind.Sqlite);

/// <summary>Job removal on a PostgreSQL store.</summary>
public sealed class PostgresJobRemovalTests() : JobRemovalTests(StoreKind.Postgres);

/// <summary>The retention periods Remove-BatchJob -OlderThan reads.</summary>
public sealed class RetentionTests
{
    [Theory]
    [InlineData("90d", 90 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("30m", 30)]
    [InlineData("1.00:00:00", 24 * 60)]
    public void Retention_reads_the_forms_administrators_write(string text, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), Retention.Parse(text));

    [Theory]
    [InlineData("ninety days")]
    [InlineData("-1d")]
    [InlineData("-1.00:00:00")]
    public void Retention_refuses_anything_else_with_E_1003(string text) =>
        Assert.Equal("E-1003", Assert.Throws<BatchShipException>(() => Retention.Parse(text)).Error.Code);
}
