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
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
            throw new InvalidOperationException(
                $"The store was written by a newer BatchShip (schema {version}, this one knows {CurrentVersion}). Update the module.");
        for (var v = version; v < CurrentVersion; v++)
        {
            using var tx = connection.BeginTransaction();
            using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = Migrations[v] + $"\nPRAGMA user_version = {v + 1};";
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
