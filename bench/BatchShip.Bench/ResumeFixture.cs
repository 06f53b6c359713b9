using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using Microsoft.Data.Sqlite;

namespace BatchShip.Bench;

/// <summary>
/// Figure 5's job: rows staged through the engine, the run recorded as begun and stopped through the
/// store, then all but the last few rows marked Completed by one direct UPDATE. Shipping 99,990 rows
/// through the sandbox would take minutes and test nothing Resume does: it sees exactly what a stopped
/// big job looks like (a Stopped job, its Completed rows with costs, a few Pending rows at the end).
/// </summary>
internal static class ResumeFixture
{
    public static JsonObject Prepare(string home, string moduleRoot, long rows, long pending)
    {
        EngineSetup.Fresh(home);
        var clock = Stopwatch.StartNew();
        string jobId;
        string dbPath;
        using (var store = BatchStore.Open(home))
        {
            var service = EngineSetup.Service(store, moduleRoot);
            var staging = service.BeginJob(EngineSetup.Prepare(service, moduleRoot, "bench resume"), OrderRows.Order(1));
            for (long n = 1; n <= rows; n++) staging.Add(OrderRows.Order(n));
            staging.Complete();
            jobId = staging.Job.JobId;
            store.SetJobStatus(jobId, JobStatus.Created, JobStatus.Running);
            store.SetJobStatus(jobId, JobStatus.Running, JobStatus.Stopped);
            dbPath = store.DatabasePath;
        }

        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = false }.ToString()))
        {
            connection.Open();
            using var tx = connection.BeginTransaction();
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                UPDATE rows SET status = 'Completed', attempts = 1,
                    shipment_id = printf('1ZBENCH%010d', row_number), tracking_numbers = printf('1ZBENCH%010d', row_number),
                    cost = '12.34', currency = 'USD', request_hash = 'bench', updated_at = $now
                WHERE job_id = $job AND row_number <= $done
                """;
            cmd.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$job", jobId);
            cmd.Parameters.AddWithValue("$done", rows - pending);
            var updated = cmd.ExecuteNonQuery();
            tx.Commit();
            if (updated != rows - pending) throw new InvalidOperationException($"Marked {updated} rows Completed, expected {rows - pending}.");
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        clock.Stop();
        return new JsonObject { ["jobId"] = jobId, ["rows"] = rows, ["pending"] = pending, ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2) };
    }

    /// <summary>When the job's run began and when its first row was committed InFlight (the carrier is called
    /// right after that commit) and came back (CarrierCreate), from the store's audit table.</summary>
    public static JsonObject FirstCall(string home, string jobId)
    {
        using var store = BatchStore.Open(home);
        var audit = store.ReadAudit(jobId);
        // Unix milliseconds: numbers survive ConvertFrom-Json, which would turn ISO strings into DateTimes of whole seconds.
        double? First(string name) => audit.FirstOrDefault(a => a.Event == name)?.At is { } at ? (at - DateTimeOffset.UnixEpoch).TotalMilliseconds : null;
        return new JsonObject
        {
            ["leaseAcquired"] = First("LeaseAcquired"),
            ["firstRowInFlight"] = First("RowInFlight"),
            ["firstCarrierCreate"] = First("CarrierCreate"),
            ["rowsCompletedByRun"] = audit.Count(a => a.Event == "RowCompleted"),
        };
    }
}
