namespace BatchShip.Engine.Store;

/// <summary>
/// The PostgreSQL schema as a forward-only list, its version kept in the one-row table <c>batchship_schema</c>.
/// Version 1 is the whole SQLite schema of version 8 in PostgreSQL types; each later version mirrors a later SQLite one.
/// Texts are compared byte by byte (COLLATE "C"), as SQLite does, so every ORDER BY orders the same on both.
/// </summary>
internal static class PostgresSchema
{
    private const string Text = "text COLLATE \"C\"";

    private static readonly string[] Migrations =
    [
        // 1: SQLite 1 to 8. jobs.seq orders jobs created in the same instant, as SQLite's rowid does.
        $"""
        CREATE TABLE jobs (
            job_id            {Text} PRIMARY KEY,
            name              {Text} NOT NULL,
            status            {Text} NOT NULL,
            template_name     {Text} NOT NULL,
            template_source   {Text} NOT NULL,
            carrier           {Text} NOT NULL,
            shipper_json      {Text} NOT NULL,
            label_directory   {Text} NOT NULL,
            options_json      {Text} NOT NULL,
            staging_complete  bigint NOT NULL DEFAULT 0,
            row_count         bigint NOT NULL DEFAULT 0,
            created_at        {Text} NOT NULL,
            started_at        {Text},
            finished_at       {Text},
            last_error_code   {Text},
            last_error_message {Text},
            stop_requested    bigint NOT NULL DEFAULT 0,
            epoch             bigint NOT NULL DEFAULT 0,
            cancel_requested  bigint NOT NULL DEFAULT 0,
            seq               bigint GENERATED ALWAYS AS IDENTITY
        );
        CREATE INDEX jobs_created ON jobs(created_at);
        CREATE TABLE rows (
            job_id          {Text} NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
            row_number      bigint NOT NULL,
            input_json      {Text} NOT NULL,
            natural_key     {Text},
            reference       {Text} NOT NULL,
            request_hash    {Text},
            status          {Text} NOT NULL,
            tracking_numbers {Text},
            shipment_id     {Text},
            cost            {Text},
            currency        {Text},
            label_paths     {Text},
            error_code      {Text},
            error_message   {Text},
            error_field     {Text},
            related_job_id  {Text},
            attempts        bigint NOT NULL DEFAULT 0,
            created_at      {Text} NOT NULL,
            updated_at      {Text} NOT NULL,
            absent_after    {Text},
            group_row       bigint,
            delivery_status {Text},
            delivered_at    {Text},
            tracked_at      {Text},
            package_tracking_number {Text},
            PRIMARY KEY (job_id, row_number)
        );
        CREATE INDEX rows_pending ON rows(job_id, row_number) WHERE status = 'Pending';
        CREATE INDEX rows_status ON rows(job_id, status);
        CREATE INDEX rows_live_key ON rows(natural_key) WHERE status IN ('InFlight', 'Completed', 'NeedsReview');
        CREATE INDEX rows_shipment ON rows(shipment_id) WHERE shipment_id IS NOT NULL;
        CREATE INDEX rows_group ON rows(job_id, group_row) WHERE group_row IS NOT NULL;
        CREATE TABLE audit (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at          {Text} NOT NULL,
            job_id      {Text},
            row_number  bigint,
            event       {Text} NOT NULL,
            detail_json {Text},
            user_name   {Text} NOT NULL
        );
        CREATE INDEX audit_job ON audit(job_id, id);
        CREATE TABLE leases (
            job_id       {Text} PRIMARY KEY REFERENCES jobs(job_id) ON DELETE CASCADE,
            owner_pid    integer NOT NULL,
            host         {Text} NOT NULL,
            started_at   {Text} NOT NULL,
            heartbeat_at {Text} NOT NULL,
            run_id       {Text} NOT NULL DEFAULT '',
            epoch        bigint NOT NULL DEFAULT 0,
            process_started_at {Text}
        );
        CREATE TABLE shipped_keys (
            natural_key      {Text} NOT NULL,
            job_id           {Text} NOT NULL,
            row_number       bigint NOT NULL,
            status           {Text} NOT NULL,
            tracking_numbers {Text},
            shipment_id      {Text},
            removed_at       {Text} NOT NULL,
            PRIMARY KEY (job_id, row_number)
        );
        CREATE INDEX shipped_keys_key ON shipped_keys(natural_key);
        CREATE INDEX shipped_keys_shipment ON shipped_keys(shipment_id) WHERE shipment_id IS NOT NULL;
        """,
        // 2: SQLite 9, the natural-key rule kept by the database (see StoreSchema).
        $"""
        ALTER TABLE rows ADD COLUMN key_claim {Text};
        CREATE UNIQUE INDEX {KeyClaimIndex} ON rows(key_claim) WHERE status IN ('InFlight', 'Completed', 'NeedsReview');
        """,
        // 3: SQLite 10, several runners on one job (see StoreSchema): a lease per run, rows.run_id and rows.claimed_by.
        $"""
        ALTER TABLE leases DROP CONSTRAINT leases_pkey;
        ALTER TABLE leases ADD PRIMARY KEY (job_id, run_id);
        ALTER TABLE rows ADD COLUMN run_id {Text};
        ALTER TABLE rows ADD COLUMN claimed_by {Text};
        ALTER TABLE jobs ADD COLUMN run_error_code {Text};
        ALTER TABLE jobs ADD COLUMN run_error_message {Text};
        """,
    ];

    /// <summary>The unique index that lets only one live row claim a natural key.</summary>
    public const string KeyClaimIndex = "rows_key_claim";

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>The SQL that takes a store from <paramref name="version"/> to the next one.</summary>
    public static string Migration(int version) => Migrations[version];

    /// <summary>Creates the version table when there is none (run under the migration's advisory lock).</summary>
    public const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS batchship_schema (one boolean PRIMARY KEY DEFAULT true CHECK (one), version integer NOT NULL);";

    /// <summary>The version, or no row when the table is there but nothing was migrated.</summary>
    public const string ReadVersion = "SELECT version FROM batchship_schema";

    /// <summary>Sets the version (@version).</summary>
    public const string WriteVersion =
        "INSERT INTO batchship_schema(one, version) VALUES (true, @version) ON CONFLICT (one) DO UPDATE SET version = excluded.version;";

    /// <summary>Whether the version table exists (a station's role may not create it).</summary>
    public const string HasVersionTable = "SELECT to_regclass('batchship_schema') IS NOT NULL";

    /// <summary>The advisory lock key that serialises migrations of one database ("BatchShp" as a number).</summary>
    public const long MigrationLock = 0x4261746368536870;
}
