using System.Text.Json;
using BatchShip.Engine.Jobs;
using Microsoft.Data.Sqlite;

namespace BatchShip.Engine.Store;

/// <summary>
/// The schema as a list of forward migrations. <c>PRAGMA user_version</c> holds how many have run;
/// a store written by a newer BatchShip is refused rather than misread.
/// </summary>
internal static class StoreSchema
{
    private static readonly string[] Migrations =
    [
        // 1: jobs, rows, audit, leases.
        """
        CREATE TABLE jobs (
            job_id            TEXT PRIMARY KEY,
            name              TEXT NOT NULL,
            status            TEXT NOT NULL,
            template_name     TEXT NOT NULL,
            template_source   TEXT NOT NULL,
            carrier           TEXT NOT NULL,
            shipper_json      TEXT NOT NULL,
            label_directory   TEXT NOT NULL,
            options_json      TEXT NOT NULL,
            staging_complete  INTEGER NOT NULL DEFAULT 0,
            row_count         INTEGER NOT NULL DEFAULT 0,
            created_at        TEXT NOT NULL,
            started_at        TEXT,
            finished_at       TEXT,
            last_error_code   TEXT,
            last_error_message TEXT,
            stop_requested    INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX jobs_created ON jobs(created_at);
        CREATE TABLE rows (
            job_id          TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
            row_number      INTEGER NOT NULL,
            input_json      TEXT NOT NULL,
            natural_key     TEXT,
            reference       TEXT NOT NULL,
            request_hash    TEXT,
            status          TEXT NOT NULL,
            tracking_numbers TEXT,
            shipment_id     TEXT,
            cost            TEXT,
            currency        TEXT,
            label_paths     TEXT,
            error_code      TEXT,
            error_message   TEXT,
            error_field     TEXT,
            related_job_id  TEXT,
            attempts        INTEGER NOT NULL DEFAULT 0,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL,
            PRIMARY KEY (job_id, row_number)
        ) WITHOUT ROWID;
        CREATE INDEX rows_pending ON rows(job_id, row_number) WHERE status = 'Pending';
        CREATE INDEX rows_status ON rows(job_id, status);
        CREATE INDEX rows_live_key ON rows(natural_key) WHERE status IN ('InFlight', 'Completed', 'NeedsReview');
        CREATE TABLE audit (
            id          INTEGER PRIMARY KEY,
            at          TEXT NOT NULL,
            job_id      TEXT,
            row_number  INTEGER,
            event       TEXT NOT NULL,
            detail_json TEXT,
            user_name   TEXT NOT NULL
        );
        CREATE INDEX audit_job ON audit(job_id, id);
        CREATE TABLE leases (
            job_id       TEXT PRIMARY KEY REFERENCES jobs(job_id) ON DELETE CASCADE,
            owner_pid    INTEGER NOT NULL,
            host         TEXT NOT NULL,
            started_at   TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL
        );
        """,
        // 2: fencing. jobs.epoch is raised at every lease takeover and every runner write carries it; a lease belongs
        // to one run (run_id) of a process known by id and start time; rows.absent_after is when a "not found" at the
        // carrier proves the row's create absent (its InFlight time plus the send deadline plus the call timeout).
        """
        ALTER TABLE jobs ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE leases ADD COLUMN run_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE leases ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE leases ADD COLUMN process_started_at TEXT;
        ALTER TABLE rows ADD COLUMN absent_after TEXT;
        CREATE INDEX rows_shipment ON rows(shipment_id) WHERE shipment_id IS NOT NULL;
        """,
        // 3: canonical natural keys (case-insensitive, column order does not matter): recomputed from each row's
        // stored input, so an order shipped before the upgrade is still recognised after it.
        "",
        // 4: the orders of removed jobs. Remove-BatchJob deletes a job's rows, but an order it shipped (or may have
        // shipped: a row removed InFlight or NeedsReview with -Force) must still block a second shipment, so its natural
        // key, with the row and the tracking numbers, stays here. Rows of live jobs are never copied: while a job exists
        // its rows are the one record, and the hot path writes nothing more.
        """
        CREATE TABLE shipped_keys (
            natural_key      TEXT NOT NULL,
            job_id           TEXT NOT NULL,
            row_number       INTEGER NOT NULL,
            status           TEXT NOT NULL,
            tracking_numbers TEXT,
            shipment_id      TEXT,
            removed_at       TEXT NOT NULL,
            PRIMARY KEY (job_id, row_number)
        ) WITHOUT ROWID;
        CREATE INDEX shipped_keys_key ON shipped_keys(natural_key);
        CREATE INDEX shipped_keys_shipment ON shipped_keys(shipment_id) WHERE shipment_id IS NOT NULL;
        """,
        // 5: cancel. Stop-BatchShipment -Cancel on a running job sets stop_requested (which its dispatcher reads) and
        // cancel_requested, so that the run ends Cancelled instead of Stopped.
        "ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;",
        // 6: line items shipped as one order (-GroupBy). Every row of a grouped job holds the number of its group's
        // first row, the leader, which alone goes through the row protocol; the other rows of the group move with it.
        """
        ALTER TABLE rows ADD COLUMN group_row INTEGER;
        CREATE INDEX rows_group ON rows(job_id, group_row) WHERE group_row IS NOT NULL;
        """,
        // 7: tracking. Update-BatchShipmentTracking records each shipped row's latest delivery status, when it was
        // delivered, and when it was last asked.
        """
        ALTER TABLE rows ADD COLUMN delivery_status TEXT;
        ALTER TABLE rows ADD COLUMN delivered_at TEXT;
        ALTER TABLE rows ADD COLUMN tracked_at TEXT;
        """,
        // 8: one package per row (-PackagePerRow). Each row of an order holds the tracking number of its own package
        // of the order's one shipment, beside the shipment's tracking numbers.
        "ALTER TABLE rows ADD COLUMN package_tracking_number TEXT;",
        // 9: the natural-key rule kept by the database itself. key_claim holds a row's natural key while the row is
        // InFlight, Completed or NeedsReview without -AllowDuplicate, and the unique index lets only one live row claim
        // a key: two stations that pass TryBeginInFlight's check at once cannot both ship. Rows of older versions keep
        // key_claim NULL; TryBeginInFlight still finds their keys by natural_key.
        """
        ALTER TABLE rows ADD COLUMN key_claim TEXT;
        CREATE UNIQUE INDEX rows_key_claim ON rows(key_claim) WHERE status IN ('InFlight', 'Completed', 'NeedsReview');
        """,
        // 10: several runners on one job. A lease per run, keyed by (job_id, run_id), each with its own fencing token
        // (epoch); rows.run_id is the run that made a row InFlight (so a dead run's rows are taken over, once, by the run
        // that takes its lease over); rows.claimed_by is the run that claimed a Pending row to send it; jobs.run_error_*
        // is the error a runner stopped on while others ran on, for the last runner to end the job with.
        """
        CREATE TABLE run_leases (
            job_id       TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
            run_id       TEXT NOT NULL,
            epoch        INTEGER NOT NULL,
            owner_pid    INTEGER NOT NULL,
            host         TEXT NOT NULL,
            process_started_at TEXT,
            started_at   TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL,
            PRIMARY KEY (job_id, run_id)
        ) WITHOUT ROWID;
        INSERT INTO run_leases(job_id, run_id, epoch, owner_pid, host, process_started_at, started_at, heartbeat_at)
            SELECT job_id, run_id, epoch, owner_pid, host, process_started_at, started_at, heartbeat_at FROM leases;
        DROP TABLE leases;
        ALTER TABLE run_leases RENAME TO leases;
        ALTER TABLE rows ADD COLUMN run_id TEXT;
        ALTER TABLE rows ADD COLUMN claimed_by TEXT;
        ALTER TABLE jobs ADD COLUMN run_error_code TEXT;
        ALTER TABLE jobs ADD COLUMN run_error_message TEXT;
        """,
    ];

    // Migrations that SQL alone cannot do, run after the SQL of the same version in its transaction.
    private static readonly Dictionary<int, Action<SqliteConnection, SqliteTransaction>> CodeSteps = new()
    {
        [3] = RecomputeNaturalKeys,
    };

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Migrates the store forward; returns the version it found.</summary>
    public static int Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
            throw NewerSchema(connection.DataSource, version, CurrentVersion);
        for (var v = version; v < CurrentVersion; v++)
        {
            using var tx = connection.BeginTransaction();
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = Migrations[v] + $"\nPRAGMA user_version = {v + 1};";
                cmd.ExecuteNonQuery();
            }
            if (CodeSteps.TryGetValue(v + 1, out var step)) step(connection, tx);
            tx.Commit();
        }
        return version;
    }

    /// <summary>A store written by a newer BatchShip is refused rather than misread.</summary>
    public static InvalidOperationException NewerSchema(string where, int version, int known) =>
        new($"The store at {where} was written by a newer BatchShip (schema {version}, this one knows {known}). Update the module.");

    private static void RecomputeNaturalKeys(SqliteConnection connection, SqliteTransaction tx)
    {
        var jobs = new Dictionary<string, (string Carrier, string Shipper, string? KeyProperty)>(StringComparer.Ordinal);
        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT job_id, carrier, shipper_json, options_json FROM jobs";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var shipper = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(2), StoreJson.Options) ?? [];
                var options = JsonSerializer.Deserialize<JobOptions>(r.GetString(3), StoreJson.Options) ?? new JobOptions();
                jobs[r.GetString(0)] = (r.GetString(1), shipper.TryGetValue("ShipperNumber", out var n) ? n : "", options.KeyProperty);
            }
        }
        var updates = new List<(string Job, long Row, string Key)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT job_id, row_number, input_json FROM rows WHERE natural_key IS NOT NULL";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (!jobs.TryGetValue(r.GetString(0), out var job)) continue;
                try
                {
                    var key = NaturalKeys.For(RowInput.Deserialize(r.GetString(2)), job.KeyProperty, job.Carrier, job.Shipper, r.GetInt64(1));
                    updates.Add((r.GetString(0), r.GetInt64(1), key));
                }
                catch (BatchShip.Engine.Errors.BatchShipException)
                {
                    // A row staged with a key the rules now refuse keeps the key it had.
                }
            }
        }
        using var update = connection.CreateCommand();
        update.Transaction = tx;
        update.CommandText = "UPDATE rows SET natural_key = $key WHERE job_id = $job AND row_number = $row";
        var pKey = update.Parameters.Add("$key", SqliteType.Text);
        var pJob = update.Parameters.Add("$job", SqliteType.Text);
        var pRow = update.Parameters.Add("$row", SqliteType.Integer);
        foreach (var (job, row, key) in updates)
        {
            (pKey.Value, pJob.Value, pRow.Value) = (key, job, row);
            update.ExecuteNonQuery();
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
