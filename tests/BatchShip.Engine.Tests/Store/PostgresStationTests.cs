using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using Npgsql;

namespace BatchShip.Engine.Tests.Store;

/// <summary>Several stations on one PostgreSQL store: what they race for, the database settles, and never as a row's error.</summary>
public sealed class PostgresStationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStoreSource _source;

    public PostgresStationTests() => _source = new TestStoreSource(StoreKind.Postgres, _folder.Combine("store"));

    public void Dispose()
    {
        _source.Dispose();
        _folder.Dispose();
    }

    private BatchStore Station(string host)
    {
        var store = _source.Open();
        store.Runner = new RunnerIdentity(host, Environment.ProcessId, RunnerIdentity.Current.ProcessStartedAt);
        return store;
    }

    [Fact]
    public async Task Two_stations_racing_for_the_same_orders_start_each_order_exactly_once()
    {
        using var a = Station("station-a");
        using var b = Station("station-b");
        const int orders = 40;
        var keys = Enumerable.Range(1, orders).Select(i => $"RACE-{i}").ToArray();
        var jobA = Stage(a, keys);
        var jobB = Stage(b, keys);

        using var go = new ManualResetEventSlim();
        var results = Enumerable.Range(1, orders).SelectMany(row => new[]
        {
            Task.Run(() => { go.Wait(); return (Row: (long)row, Station: "a", a.TryBeginInFlight(jobA, row, "h", false).Kind); }),
            Task.Run(() => { go.Wait(); return (Row: (long)row, Station: "b", b.TryBeginInFlight(jobB, row, "h", false).Kind); }),
        }).ToList();
        go.Set();
        var outcomes = await Task.WhenAll(results);

        foreach (var perOrder in outcomes.GroupBy(o => o.Row))
        {
            Assert.Equal(1, perOrder.Count(o => o.Kind == BeginKind.Started));
            Assert.Equal(1, perOrder.Count(o => o.Kind == BeginKind.Held));
        }
        var inFlight = a.GetRows(jobA, [RowStatus.InFlight]).Count + b.GetRows(jobB, [RowStatus.InFlight]).Count;
        Assert.Equal(orders, inFlight);
    }

    [Fact]
    public async Task A_write_that_loses_a_serialization_conflict_runs_again_and_is_not_surfaced()
    {
        using var store = Station("station-a");
        var job = Stage(store, ["SER-1"]);

        // Another station's transaction updates the job's row and holds it; the store's write then waits on that row
        // lock, and when the other commits, PostgreSQL refuses the store's SERIALIZABLE transaction (40001).
        await using var other = new NpgsqlConnection(_source.ConnectionString);
        await other.OpenAsync();
        await using var tx = await other.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
        await using (var cmd = new NpgsqlCommand("UPDATE jobs SET name = 'renamed' WHERE job_id = @id", other, tx))
        {
            cmd.Parameters.AddWithValue("id", job);
            await cmd.ExecuteNonQueryAsync();
        }
        var write = Task.Run(() => store.SetJobStatus(job, JobStatus.Created, JobStatus.Running));
        await WaitForLockWait();
        await tx.CommitAsync();
        await write;

        var record = store.RequireJob(job);
        Assert.Equal((JobStatus.Running, "renamed"), (record.Status, record.Name));
        Assert.Single(store.ReadAudit(job), e => e.Event == "JobStatusChanged");
    }

    private async Task WaitForLockWait()
    {
        await using var watch = new NpgsqlConnection(_source.ConnectionString);
        await watch.OpenAsync();
        for (var i = 0; i < 500; i++)
        {
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE NOT granted", watch);
            if ((long)(await cmd.ExecuteScalarAsync())! > 0) return;
            await Task.Delay(20);
        }
        Assert.Fail("The store's write never waited for the other transaction's lock.");
    }

    private static string Stage(BatchStore store, IEnumerable<string> keys)
    {
        var job = store.CreateJob(new NewJob("race", "ups-ground", "{}", "Sandbox", new Dictionary<string, string>(), null, new JobOptions()));
        var stager = store.BeginStaging(job.JobId);
        foreach (var key in keys) stager.Add([KeyValuePair.Create("Reference", key)], key);
        stager.Complete();
        return job.JobId;
    }
}

/// <summary>Restarts the shared test server, so it runs alone, after the tests that run in parallel.</summary>
[CollectionDefinition(nameof(ServerRestartCollection), DisableParallelization = true)]
public sealed class ServerRestartCollection;

/// <summary>A PostgreSQL server that restarts between two writes costs a retry, not an error.</summary>
[Collection(nameof(ServerRestartCollection))]
public sealed class PostgresRestartTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestStoreSource _source;

    public PostgresRestartTests() => _source = new TestStoreSource(StoreKind.Postgres, _folder.Combine("store"));

    public void Dispose()
    {
        _source.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void The_write_after_a_server_restart_succeeds()
    {
        using var store = _source.Open();
        var job = store.CreateJob(new NewJob("restart", "ups-ground", "{}", "Sandbox", new Dictionary<string, string>(), null, new JobOptions()));
        // The socket folder of the throwaway server is its data folder (tools/TestPostgres.ps1).
        var folder = new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString).Host!;

        TestPostgres.RunTool("-Restart", "-DataFolder", folder);

        store.SetJobStatus(job.JobId, JobStatus.Created, JobStatus.Running);
        Assert.Equal(JobStatus.Running, store.RequireJob(job.JobId).Status);
    }
}
