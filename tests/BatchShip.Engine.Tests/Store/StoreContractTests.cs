using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using Npgsql;

namespace BatchShip.Engine.Tests.Store;

/// <summary>
/// The store's contract, run on both stores: what a row may become, the natural-key rule, cancel, void, tracking,
/// -GroupBy groups, order lookups and the schema. The same statements run on both; these tests hold them to one meaning.
/// </summary>
public abstract class StoreContractTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStoreSource _source;
    private readonly BatchStore _store;

    protected StoreContractTests(StoreKind kind)
    {
        _source = new TestStoreSource(kind, _folder.Combine("store"));
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
    public void A_staged_job_keeps_its_rows_in_order_with_their_keys_and_references()
    {
        var job = Stage("A-1", "A-2", "A-3");
        var rows = _store.GetRows(job.JobId);
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.RowNumber));
        Assert.Equal(["A-1", "A-2", "A-3"], rows.Select(r => r.NaturalKey));
        Assert.All(rows, r => Assert.Equal(RowStatus.Pending, r.Status));
        Assert.Equal(JobIds.Reference(job.JobId, 2), rows[1].Reference);
        Assert.Equal(2, _store.PendingRows(job.JobId, 1, 10).Count);
        Assert.Equal(3, _store.Summarize(job.JobId).Job.RowCount);
    }

    [Fact]
    public void A_row_moves_only_through_the_transition_table_and_only_from_the_state_it_is_in()
    {
        var job = Stage("T-1");
        Assert.Equal("E-4004", Assert.Throws<BatchShipException>(() => _store.ReturnToPending(job.JobId, 1, RowStatus.InFlight, "test")).Error.Code);
        Assert.Equal("E-4004", Assert.Throws<BatchShipException>(() => _store.MarkNeedsReview(job.JobId, 1, "test")).Error.Code);
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(job.JobId, 1, "h", false).Kind);
        Assert.Equal(BeginKind.NotPending, _store.TryBeginInFlight(job.JobId, 1, "h", false).Kind);
        _store.MarkNeedsReview(job.JobId, 1, "unknown");
        _store.ResolveAsShipped(job.JobId, 1, "1ZREVIEW");
        var row = _store.GetRow(job.JobId, 1);
        Assert.Equal(RowStatus.Completed, row.Status);
        Assert.Equal(["1ZREVIEW"], row.TrackingNumbers);
        Assert.Equal(1, row.Attempts);
        Assert.Equal("E-4004", Assert.Throws<BatchShipException>(() => _store.FailRow(job.JobId, 1, RowStatus.Pending,
            new BatchShipException(ErrorCatalog.PostalCode, "bad"))).Error.Code);
        Assert.Equal(["JobCreated", "RowsStaged", "RowInFlight", "RowNeedsReview", "RowResolved"], _store.ReadAudit(job.JobId).Select(e => e.Event));
    }

    [Fact]
    public void An_order_shipped_by_one_job_is_AlreadyShipped_in_the_next_and_one_in_flight_holds_it()
    {
        var first = Stage("K-1", "K-2");
        Ship(first.JobId, 1, "1ZK1", 3m);
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(first.JobId, 2, "h", false).Kind);

        var second = Stage("K-1", "K-2");
        var shipped = _store.TryBeginInFlight(second.JobId, 1, "h", false);
        Assert.Equal(BeginKind.AlreadyShipped, shipped.Kind);
        Assert.Equal(first.JobId, shipped.OtherJobId);
        Assert.Equal("1ZK1", shipped.OtherTrackingNumbers);
        Assert.Equal(RowStatus.AlreadyShipped, _store.GetRow(second.JobId, 1).Status);
        Assert.Equal(BeginKind.Held, _store.TryBeginInFlight(second.JobId, 2, "h", false).Kind);
        Assert.Equal(RowStatus.Pending, _store.GetRow(second.JobId, 2).Status);
        Assert.Contains("1ZK1", _store.FindLiveShipment("K-1"));
    }

    [Fact]
    public void AllowDuplicate_ships_an_order_again_and_then_an_ordinary_row_is_still_held_by_it()
    {
        var first = Stage("D-1");
        Ship(first.JobId, 1, "1ZD1", 1m);
        var again = Stage("D-1", "D-1");
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(again.JobId, 1, "h", allowDuplicate: true).Kind);
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(again.JobId, 2, "h", allowDuplicate: true).Kind);
        _store.CompleteRow(again.JobId, 1, RowStatus.InFlight, new ShipmentFacts("1ZD2", ["1ZD2"], 1m, "USD", []), "test");

        var third = Stage("D-1");
        Assert.Equal(BeginKind.AlreadyShipped, _store.TryBeginInFlight(third.JobId, 1, "h", false).Kind);
    }

    [Fact]
    public void A_voided_order_can_ship_again_and_a_failed_row_frees_its_order()
    {
        var job = Stage("V-1", "V-2");
        Ship(job.JobId, 1, "1ZV1", 1m);
        _store.BeginVoid(job.JobId, 1);
        Assert.True(_store.MarkVoided(job.JobId, 1, alreadyVoidedAtCarrier: false, "test"));
        Assert.False(_store.MarkVoided(job.JobId, 1, alreadyVoidedAtCarrier: false, "test"));
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(job.JobId, 2, "h", false).Kind);
        _store.FailRow(job.JobId, 2, RowStatus.InFlight, new BatchShipException(ErrorCatalog.PostalCode, "bad zip", field: "PostalCode"));

        var next = Stage("V-1", "V-2");
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(next.JobId, 1, "h", false).Kind);
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(next.JobId, 2, "h", false).Kind);
        var failed = _store.GetRow(job.JobId, 2);
        Assert.Equal(("E-2001", "PostalCode"), (failed.ErrorCode, failed.ErrorField));
    }

    [Fact]
    public void Cancel_skips_the_pending_rows_and_a_cancelled_job_never_runs_again()
    {
        var job = Stage("C-1", "C-2");
        Assert.True(_store.CancelJob(job.JobId));
        Assert.All(_store.GetRows(job.JobId), r => Assert.Equal(RowStatus.Skipped, r.Status));
        Assert.Equal(JobStatus.Cancelled, _store.RequireJob(job.JobId).Status);
        Assert.Equal("E-4004", Assert.Throws<BatchShipException>(() => _store.BeginRun(job.JobId, "run")).Error.Code);
    }

    [Fact]
    public void Tracking_is_recorded_on_a_shipped_row_only()
    {
        var job = Stage("TR-1", "TR-2");
        Ship(job.JobId, 1, "1ZTR1", 1m);
        var delivered = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        Assert.True(_store.RecordTracking(job.JobId, 1, "Delivered", delivered));
        Assert.False(_store.RecordTracking(job.JobId, 2, "Delivered", delivered));
        var row = _store.GetRow(job.JobId, 1);
        Assert.Equal(("Delivered", delivered), (row.DeliveryStatus, row.DeliveredAt));
    }

    [Fact]
    public void The_rows_of_a_group_move_with_its_leader_which_alone_carries_the_cost_and_the_order()
    {
        var job = _store.CreateJob(new NewJob("g", "ups-ground", "{}", "Sandbox", new Dictionary<string, string>(), null, new JobOptions()));
        var stager = _store.BeginStaging(job.JobId);
        stager.Add([KeyValuePair.Create("Reference", "G-1")], "G-1", groupRow: 1);
        stager.Add([KeyValuePair.Create("Reference", "G-1")], "G-1", groupRow: 1);
        stager.Add([KeyValuePair.Create("Reference", "G-2")], "G-2", groupRow: 3);
        stager.Complete();

        Assert.Equal([1L, 3L], _store.PendingRows(job.JobId, 0, 10).Select(r => r.RowNumber));
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(job.JobId, 1, "h", false).Kind);
        _store.CompleteRow(job.JobId, 1, RowStatus.InFlight, new ShipmentFacts("1ZG", ["1ZG"], 9m, "USD", []), "test");
        var rows = _store.GetRows(job.JobId);
        Assert.Equal([RowStatus.Completed, RowStatus.Completed, RowStatus.Pending], rows.Select(r => r.Status));
        Assert.Equal([9m, null, null], rows.Select(r => r.Cost));
        Assert.Equal(2, Assert.Single(_store.GroupMembers(job.JobId, 1)).RowNumber);
        Assert.Equal(9m, _store.Summarize(job.JobId).TotalCost);
    }

    [Fact]
    public void Orders_are_found_by_wildcard_without_case_and_a_shipment_by_its_tracking_number()
    {
        var job = Stage(Key("ORD-100"), Key("ORD-101"), Key("ORD_1%"), Key("OTHER"));
        Ship(job.JobId, 1, "1ZAA;1ZBB", 1m);
        Assert.Equal([1L, 2L], _store.FindRowsByOrder("ord-10*").Select(r => r.RowNumber));
        Assert.Equal([3L], _store.FindRowsByOrder("ORD_1%").Select(r => r.RowNumber));
        Assert.Equal([2L], _store.FindRowsByOrder("ORD-10?", [RowStatus.Pending]).Select(r => r.RowNumber));
        Assert.Equal($"row 1 of job {job.JobId}", _store.FindShipmentOwner(job.JobId, 2, "X", ["1ZBB"]));
        Assert.Null(_store.FindShipmentOwner(job.JobId, 2, "X", ["1ZB"]));
        Assert.Null(_store.FindShipmentOwner(job.JobId, 1, "1ZAA", ["1ZAA"]));
    }

    [Fact]
    public void Jobs_are_listed_newest_first_and_finished_ones_by_age()
    {
        var clock = new Execution.ManualClock();
        using var store = _source.Open(clock);
        var jobs = Enumerable.Range(0, 3).Select(_ => store.CreateJob(new NewJob("l", "ups-ground", "{}", "Sandbox", new Dictionary<string, string>(), null, new JobOptions()))).ToList();
        Assert.Equal(jobs.Select(j => j.JobId).Reverse(), store.ListJobs(new JobQuery()).Select(s => s.Job.JobId));
    }

    [Fact]
    public void Initialize_is_idempotent_and_a_store_of_a_newer_schema_is_refused()
    {
        var again = BatchStore.Initialize(_source.Folder, _source.ConnectionString);
        Assert.Equal(again.VersionBefore, again.VersionAfter);
        Assert.Equal(_source.Kind, again.Kind);
        Assert.Equal(_source.Kind, _store.Kind);

        SetSchemaVersion(99);
        var error = Assert.Throws<InvalidOperationException>(() => _source.Open());
        Assert.Contains("schema 99", error.Message);
        Assert.Contains("Update the module", error.Message);
    }

    private protected void SetSchemaVersion(int version, string undo = "")
    {
        if (_source.Kind == StoreKind.Postgres)
        {
            using var connection = new NpgsqlConnection(_source.ConnectionString);
            connection.Open();
            using var cmd = new NpgsqlCommand($"{undo} UPDATE batchship_schema SET version = {version}", connection);
            cmd.ExecuteNonQuery();
            return;
        }
        using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_store.DatabasePath};Pooling=False");
        sqlite.Open();
        using var pragma = sqlite.CreateCommand();
        pragma.CommandText = $"PRAGMA user_version = {version}";
        pragma.ExecuteNonQuery();
    }

    private protected TestStoreSource Source => _source;

    private static string Key(string reference) => NaturalKeys.For([KeyValuePair.Create("Reference", reference)], null, "sandbox", "A1B2C3", 1);

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
        _store.CompleteRow(jobId, row, RowStatus.InFlight, new ShipmentFacts(tracking.Split(';')[0], tracking.Split(';'), cost, "USD", []), "test");
    }
}

/// <summary>The store's contract on the per-user SQLite store.</summary>
public sealed class SqliteStoreContractTests() : StoreContractTests(StoreKind.Sqlite);

/// <summary>The store's contract on a PostgreSQL store, and what only PostgreSQL refuses.</summary>
public sealed class PostgresStoreContractTests() : StoreContractTests(StoreKind.Postgres)
{
    [Fact]
    public void A_store_of_an_older_schema_is_refused_with_E_4022_until_it_is_initialised()
    {
        // Schema 1 is schema 2 without the key claims, and schema 2 is schema 3 with one lease per job and no run or
        // claim on the rows.
        SetSchemaVersion(1, "DROP INDEX rows_key_claim; ALTER TABLE rows DROP COLUMN key_claim; " +
            "ALTER TABLE rows DROP COLUMN run_id; ALTER TABLE rows DROP COLUMN claimed_by; ALTER TABLE jobs DROP COLUMN run_error_code; " +
            "ALTER TABLE jobs DROP COLUMN run_error_message; ALTER TABLE leases DROP CONSTRAINT leases_pkey; ALTER TABLE leases ADD PRIMARY KEY (job_id);");
        var error = Assert.Throws<BatchShipException>(() => Source.Open());
        Assert.Equal("E-4022", error.Error.Code);
        Assert.Contains("schema 1", error.Message);

        var done = BatchStore.Initialize(Source.Folder, Source.ConnectionString);
        Assert.Equal((1, PostgresSchema.CurrentVersion), (done.VersionBefore, done.VersionAfter));
        using var store = Source.Open();
        Assert.Empty(store.ListJobs(new JobQuery()));
    }

    [Fact]
    public void An_empty_database_is_refused_with_E_4022_and_a_password_in_the_connection_string_with_E_4023()
    {
        using var empty = TestPostgres.CreateDatabase();
        var error = Assert.Throws<BatchShipException>(() => BatchStore.OpenPostgres(Source.Folder, empty.ConnectionString));
        Assert.Equal("E-4022", error.Error.Code);
        Assert.Contains(empty.Name, error.Message);

        var withPassword = Assert.Throws<BatchShipException>(() => BatchStore.OpenPostgres(Source.Folder, empty.ConnectionString + ";Password=hunter2"));
        Assert.Equal("E-4023", withPassword.Error.Code);
        Assert.DoesNotContain("hunter2", withPassword.Message);
    }
}
