using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using BatchShip.Engine.Audit;
using BatchShip.Engine.Errors;
using Microsoft.Data.Sqlite;

namespace BatchShip.Engine.Store;

/// <summary>
/// The store: jobs, rows, audit entries and leases, in the per-user SQLite file or in a team's PostgreSQL database.
/// Every statement, transition check and step of the row protocol is written here once, over System.Data.Common; the
/// <see cref="StoreDialect"/> says only what differs (connections, schema, how a write transaction runs and is retried).
/// Commits are durable: each one records a carrier outcome or a promise to ask the carrier, and must survive a power cut.
/// </summary>
public sealed partial class BatchStore : IDisposable
{
    private readonly StoreDialect _dialect;
    private readonly TimeProvider _time;
    private readonly string _userName;

    private BatchStore(string folder, StoreDialect dialect, TimeProvider time)
    {
        Folder = folder;
        _dialect = dialect;
        _time = time;
        _userName = Environment.UserName;
    }

    /// <summary>The store folder.</summary>
    public string Folder { get; }

    /// <summary>The process this store writes leases for (tests give two stores two identities).</summary>
    public RunnerIdentity Runner { get; set; } = RunnerIdentity.Current;

    /// <summary>How long a runner on another host may go without a heartbeat before its lease counts as abandoned
    /// (<c>$env:BATCHSHIP_LEASE_SECONDS</c>, default 120). A runner on this host is judged by its process instead.</summary>
    public TimeSpan LeaseTimeout { get; set; } = LeaseTimeoutFromEnvironment();

    /// <summary>How long a write waits, in all, for another program that holds the database locked (SQLite), or for
    /// conflicts with other stations and a lost server to pass (PostgreSQL).</summary>
    public TimeSpan BusyTimeout
    {
        get => _dialect.BusyTimeout;
        set => _dialect.BusyTimeout = value;
    }

    /// <summary>Which database holds the store: <see cref="StoreKind.Sqlite"/> or <see cref="StoreKind.Postgres"/>.</summary>
    public StoreKind Kind => _dialect.Kind;

    /// <summary>Where the store is, for messages: the SQLite file, or the PostgreSQL host and database (never a password).</summary>
    public string Location => _dialect.Location;

    /// <summary>The environment variable that sets <see cref="LeaseTimeout"/> in seconds.</summary>
    public const string LeaseSecondsVariable = "BATCHSHIP_LEASE_SECONDS";

    private static TimeSpan LeaseTimeoutFromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable(LeaseSecondsVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s < 86400
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromMinutes(2);

    /// <summary>The folder under the store folder where labels go when a job names no label folder.</summary>
    public const string LabelsFolderName = "labels";

    /// <summary>The folder under the store folder where labels are kept when their own folder could not take them.</summary>
    public const string UnsavedLabelsFolderName = "unsaved-labels";

    /// <summary>The SQLite database file of the store folder (used by a SQLite store).</summary>
    public string DatabasePath => Path.Combine(Folder, StoreLocation.DatabaseFileName);

    /// <summary>
    /// Opens the store chosen for the folder (<see cref="StoreChoice"/>: <c>$env:BATCHSHIP_STORE</c>, else the folder's
    /// store.json, else SQLite in the folder). A SQLite store is created (folder 0700 and file 0600 on Unix) and migrated
    /// forward; on Unix a store folder, database or label folder that is not the current user's, or that other users can
    /// change, is refused (E-4012). A PostgreSQL store must already be initialised (E-4022).
    /// </summary>
    public static BatchStore Open(string folder, TimeProvider? time = null)
    {
        var choice = StoreChoice.Resolve(folder);
        return choice.Kind == StoreKind.Postgres ? OpenPostgres(folder, choice.ConnectionString!, time) : OpenSqlite(folder, time);
    }

    /// <summary>Opens the PostgreSQL store the connection string names (no password in it: E-4023), with
    /// <paramref name="folder"/> for labels and settings. Its schema must be this module's (E-4022 when older or empty).</summary>
    public static BatchStore OpenPostgres(string folder, string connectionString, TimeProvider? time = null)
    {
        PrivatePaths.CreateFolder(folder);
        PrivatePaths.EnsureFolder(folder, "store folder");
        var dialect = PostgresDialect.Connect(connectionString);
        try
        {
            dialect.EnsureCurrentSchema();
        }
        catch
        {
            dialect.Dispose();
            throw;
        }
        return new BatchStore(folder, dialect, time ?? TimeProvider.System);
    }

    /// <summary>Creates or migrates the schema of the store chosen for the folder, or of the PostgreSQL store
    /// <paramref name="connectionString"/> names: idempotent, safe when several stations run it at once.</summary>
    public static StoreInitialization Initialize(string folder, string? connectionString = null)
    {
        var choice = connectionString is null ? StoreChoice.Resolve(folder) : StoreChoice.Given(connectionString);
        if (choice.Kind == StoreKind.Sqlite)
        {
            using var store = OpenSqlite(folder, null);
            return new StoreInitialization(StoreKind.Sqlite, store.Location, choice.Source, store._dialect.VersionAtOpen, StoreSchema.CurrentVersion);
        }
        using var dialect = PostgresDialect.Connect(choice.ConnectionString!);
        var (from, to) = dialect.Migrate();
        return new StoreInitialization(StoreKind.Postgres, dialect.Location, choice.Source, from, to);
    }

    private static BatchStore OpenSqlite(string folder, TimeProvider? time)
    {
        try
        {
            return OpenChecked(folder, time);
        }
        catch (UnauthorizedAccessException e)
        {
            // Another user's store, or a folder above it shut to this user: name it instead of a bare access error.
            throw new BatchShipException(ErrorCatalog.StoreNotPrivate,
                $"BatchShip cannot use the store folder {folder}: {e.Message} The store must be a folder of your own that you can enter and write; " +
                $"set {StoreLocation.HomeVariable} to one, or fix the permissions of the folders on its path.", field: folder, inner: e);
        }
        catch (IOException e)
        {
            throw new BatchShipException(ErrorCatalog.FileSystem, $"BatchShip cannot use the store folder {folder}: {e.Message}", field: folder, inner: e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteCannotOpen or SqlitePermission or SqliteReadOnly)
        {
            var database = Path.Combine(folder, StoreLocation.DatabaseFileName);
            throw new BatchShipException(ErrorCatalog.StoreNotPrivate,
                $"BatchShip cannot open its store {database}: {e.Message} It must be a file of your own that you can read and write (chmod 600).",
                field: database, inner: e);
        }
    }

    private const int SqlitePermission = 3, SqliteReadOnly = 8, SqliteCannotOpen = 14;

    private static BatchStore OpenChecked(string folder, TimeProvider? time)
    {
        PrivatePaths.CreateFolder(folder);
        PrivatePaths.EnsureFolder(folder, "store folder");
        var path = Path.Combine(folder, StoreLocation.DatabaseFileName);
        // A store folder made by hand before first use (mkdir -p .../carriers) has the umask's 0755: once it is known
        // to be ours, the store made in it is private like one made by BatchShip.
        if (!File.Exists(path)) PrivatePaths.MakeOwnerOnly(folder);
        foreach (var labels in new[] { LabelsFolderName, UnsavedLabelsFolderName })
        {
            var labelFolder = Path.Combine(folder, labels);
            if (Directory.Exists(labelFolder)) PrivatePaths.EnsureFolder(labelFolder, "label folder");
        }
        CreatePrivateFile(path);
        PrivatePaths.EnsureFile(path, "store database");
        return new BatchStore(folder, SqliteDialect.Open(path), time ?? TimeProvider.System);
    }

    /// <summary>Opens the store at the location this process's environment names (a relative BATCHSHIP_HOME against the
    /// process's directory: the cmdlets use <see cref="Open"/> with the folder resolved against PowerShell's location).</summary>
    public static BatchStore OpenDefault(TimeProvider? time = null) => Open(StoreLocation.ResolveFolder(), time);

    public void Dispose() => _dialect.Dispose();

    /// <summary>The audit entries of a job, oldest first.</summary>
    public IReadOnlyList<AuditEntry> ReadAudit(string jobId)
    {
        return Read(c =>
        {
            using var cmd = Command("SELECT id, at, job_id, row_number, event, detail_json, user_name FROM audit WHERE job_id = @job ORDER BY id", c);
            cmd.Bind("@job", jobId);
            using var r = cmd.ExecuteReader();
            var list = new List<AuditEntry>();
            while (r.Read())
            {
                list.Add(new AuditEntry(r.GetInt64(0), ParseTime(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2),
                    r.IsDBNull(3) ? null : r.GetInt64(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6)));
            }
            return list;
        });
    }

    // --- infrastructure shared by the partial files -------------------------------------------

    private DateTimeOffset Now => _time.GetUtcNow();

    private static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static DateTimeOffset? ParseTimeOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : ParseTime(r.GetString(i));

    private static DbCommand Command(string sql, Db db)
    {
        var cmd = db.Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = db.Transaction;
        return cmd;
    }

    /// <summary>Where a statement runs: a write's transaction, or a read's connection.</summary>
    private readonly record struct Db(DbConnection Connection, DbTransaction? Transaction)
    {
        public static implicit operator Db(DbTransaction tx) => new(tx.Connection!, tx);
        public static implicit operator Db(DbConnection connection) => new(connection, null);
    }

    // Reads see committed data: under the one connection's lock (SQLite) or on a pooled connection (PostgreSQL).
    private T Read<T>(Func<DbConnection, T> body) => _dialect.Read(body);

    private void AppendAudit(DbTransaction tx, string? jobId, long? rowNumber, string eventName, object? detail)
    {
        using var cmd = Command("INSERT INTO audit(at, job_id, row_number, event, detail_json, user_name) VALUES (@at, @job, @row, @event, @detail, @user)", tx);
        cmd.Bind("@at", FormatTime(Now));
        cmd.Bind("@job", (object?)jobId ?? DBNull.Value);
        cmd.Bind("@row", (object?)rowNumber ?? DBNull.Value);
        cmd.Bind("@event", eventName);
        cmd.Bind("@detail", detail is null ? DBNull.Value : AuditRedactor.Serialize(detail));
        cmd.Bind("@user", _userName);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Appends an audit entry on its own (carrier calls, observer failures).</summary>
    public void Audit(string? jobId, long? rowNumber, string eventName, object? detail) =>
        Write(tx => AppendAudit(tx, jobId, rowNumber, eventName, detail));

    /// <summary>
    /// Runs one write, durable when this returns, by the dialect's rules (<see cref="StoreDialect.Write{T}"/>): the body
    /// may run more than once, on a fresh transaction each time, so it must decide everything inside the transaction.
    /// </summary>
    private T Write<T>(Func<DbTransaction, T> body) => _dialect.Write(body);

    private void Write(Action<DbTransaction> body) => Write<object?>(tx => { body(tx); return null; });

    private static string ToJson<T>(T value) => JsonSerializer.Serialize(value, StoreJson.Options);

    private static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json, StoreJson.Options)!;

    private static void CreatePrivateFile(string path)
    {
        if (File.Exists(path)) return;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: fine.
        }
    }
}
