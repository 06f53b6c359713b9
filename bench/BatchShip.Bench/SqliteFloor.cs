using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Execution;
using Microsoft.Data.Sqlite;

namespace BatchShip.Bench;

/// <summary>
/// The floor under figures 1 and 13: the least a row can cost on this disk with the store's durability. A bare
/// loop does exactly the two durable commits the row protocol needs (WAL, synchronous=FULL): an UPDATE
/// to InFlight in its own transaction, then an UPDATE to Completed in its own transaction. No carrier,
/// no template, no audit. Then, timed apart, the one durable file a shipped row leaves: its label, a 2 KB
/// ZPL label written by the engine's own <see cref="LabelWriter"/> (create, write, fsync, rename).
/// </summary>
internal static class SqliteFloor
{
    public static JsonObject Run(string folder, long rows)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "floor.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
        Execute(connection, """
            CREATE TABLE rows (
                job_id TEXT NOT NULL, row_number INTEGER NOT NULL, input_json TEXT NOT NULL, reference TEXT NOT NULL,
                request_hash TEXT, status TEXT NOT NULL, tracking_numbers TEXT, shipment_id TEXT, cost TEXT, currency TEXT,
                label_paths TEXT, attempts INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL,
                PRIMARY KEY (job_id, row_number)) WITHOUT ROWID;
            CREATE INDEX rows_status ON rows(job_id, status);
            """);

        // The rows exist before the loop, as staged rows do; loading them is not part of the floor.
        using (var tx = connection.BeginTransaction())
        using (var insert = Command(connection, "INSERT INTO rows(job_id, row_number, input_json, reference, status, updated_at) VALUES ('job', $n, $input, $ref, 'Pending', $now)", tx))
        {
            var n = insert.Parameters.Add("$n", SqliteType.Integer);
            var input = insert.Parameters.Add("$input", SqliteType.Text);
            var reference = insert.Parameters.Add("$ref", SqliteType.Text);
            insert.Parameters.AddWithValue("$now", Now());
            for (long i = 1; i <= rows; i++)
            {
                n.Value = i;
                input.Value = System.Text.Json.JsonSerializer.Serialize(OrderRows.Order(i).Select(c => new[] { c.Key, c.Value }));
                reference.Value = $"BS-job-{i}";
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }

        using var inFlight = Command(connection, "UPDATE rows SET status = 'InFlight', request_hash = $hash, attempts = attempts + 1, updated_at = $now WHERE job_id = 'job' AND row_number = $n AND status = 'Pending'");
        using var completed = Command(connection, "UPDATE rows SET status = 'Completed', shipment_id = $id, tracking_numbers = $id, cost = '12.34', currency = 'USD', label_paths = $label, updated_at = $now WHERE job_id = 'job' AND row_number = $n AND status = 'InFlight'");
        var hash = new string('A', 64);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (long i = 1; i <= rows; i++)
        {
            using (var tx = connection.BeginTransaction())
            {
                inFlight.Transaction = tx;
                inFlight.Parameters.Clear();
                inFlight.Parameters.AddWithValue("$hash", hash);
                inFlight.Parameters.AddWithValue("$now", Now());
                inFlight.Parameters.AddWithValue("$n", i);
                if (inFlight.ExecuteNonQuery() != 1) throw new InvalidOperationException($"Row {i} was not Pending.");
                tx.Commit();
            }
            using (var tx = connection.BeginTransaction())
            {
                completed.Transaction = tx;
                completed.Parameters.Clear();
                completed.Parameters.AddWithValue("$id", $"1Z{i:D16}");
                completed.Parameters.AddWithValue("$label", $"/labels/job-{i}.gif");
                completed.Parameters.AddWithValue("$now", Now());
                completed.Parameters.AddWithValue("$n", i);
                if (completed.ExecuteNonQuery() != 1) throw new InvalidOperationException($"Row {i} was not InFlight.");
                tx.Commit();
            }
        }
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        connection.Close();
        var seconds = clock.Elapsed.TotalSeconds;
        var label = LabelFloor(Path.Combine(folder, "labels"), rows);
        return new JsonObject
        {
            ["rows"] = rows,
            ["commits"] = rows * 2,
            ["seconds"] = Math.Round(seconds, 4),
            ["rowsPerSecond"] = Math.Round(rows / seconds, 1),
            ["msPerCommit"] = Math.Round(seconds * 1000 / (rows * 2), 4),
            // The CPU this process spent on the commits (SQLite and the fsync calls), to set beside BatchShip's CPU per row.
            ["cpuMsPerRow"] = Math.Round(cpu.TotalMilliseconds / rows, 4),
            ["label"] = label,
        };
    }

    // One label file per row as the engine writes it; user and kernel CPU apart, since creating a durable file is
    // nearly all kernel time, and how much depends on the file system (an ext4 without a journal, for one, reads the
    // inode table to skip recently deleted inodes on every create).
    private static JsonObject LabelFloor(string folder, long rows)
    {
        var writer = new LabelWriter(folder);
        var image = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("^FO50,50^A0N,40,40^FDBATCHSHIP^FS\n", 2048 / 32)));
        var me = Process.GetCurrentProcess();
        var (user, kernel) = (me.UserProcessorTime, me.PrivilegedProcessorTime);
        var clock = Stopwatch.StartNew();
        for (long i = 1; i <= rows; i++)
            writer.Write("floorjob", i, [new ShipmentPackage($"1Z{i:D16}", "ZPL", image)], $"FLOOR-{i}");
        clock.Stop();
        me.Refresh();
        return new JsonObject
        {
            ["files"] = rows,
            ["bytes"] = image.Length,
            ["msPerFile"] = Math.Round(clock.Elapsed.TotalMilliseconds / rows, 4),
            ["userCpuMsPerFile"] = Math.Round((me.UserProcessorTime - user).TotalMilliseconds / rows, 4),
            ["kernelCpuMsPerFile"] = Math.Round((me.PrivilegedProcessorTime - kernel).TotalMilliseconds / rows, 4),
            ["cpuMsPerFile"] = Math.Round((me.UserProcessorTime - user + me.PrivilegedProcessorTime - kernel).TotalMilliseconds / rows, 4),
        };
    }

    private static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = Command(connection, sql);
        cmd.ExecuteNonQuery();
    }
}
