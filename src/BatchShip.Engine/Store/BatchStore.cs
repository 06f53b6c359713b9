using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BatchShip.Engine.Audit;
using BatchShip.Engine.Errors;
using Microsoft.Data.Sqlite;

namespace BatchShip.Engine.Store;

/// <summary>
/// The per-user SQLite store: jobs, rows, audit entries and leases. One connection, guarded by a lock,
/// serves every worker of a process (SQLite serializes writers anyway); other processes share the file
/// through WAL. Commits are durable (synchronous=FULL): each one records a carrier outcome or a
/// promise to ask the carrier, and must survive a power cut.
/// </summary>
public sealed partial class BatchStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();
    private readonly object _queueGate = new();
    private readonly List<PendingWrite> _queue = [];
    private readonly TimeProvider _time;
    private readonly string _userName;

    private BatchStore(string folder, SqliteConnection connection, TimeProvider time)
    {
        Folder = folder;
        _connection = connection;
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

    /// <summary>How long a write waits, in all, for another program that holds the database locked.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromMinutes(2);

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

    /// <summary>The database file.</summary>
    public string DatabasePath => Path.Combine(Folder, StoreLocation.DatabaseFileName);

    /// <summary>
    /// Opens the store in the folder (creating folder 0700 and file 0600 on Unix), migrating it forward. On Unix a store
    /// folder, database or label folder that is not the current user's, or that other users can change, is refused (E-4012).
    /// </summary>
    public static BatchStore Open(string folder, TimeProvider? time = null)
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
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false, // a pooled handle would keep the file open after Dispose
            DefaultTimeout = 5, // one wait for a lock; Write waits out longer ones, up to BusyTimeout in all
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
            StoreSchema.Migrate(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new BatchStore(folder, connection, time ?? TimeProvider.System);
    }

    /// <summary>Opens the store at the location this process's environment names (a relative BATCHSHIP_HOME against the
    /// process's directory: the cmdlets use <see cref="Open"/> with the folder resolved against PowerShell's location).</summary>
    public static BatchStore OpenDefault(TimeProvider? time = null) => Open(StoreLocation.ResolveFolder(), time);

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    /// <summary>The audit entries of a job, oldest first.</summary>
    public IReadOnlyList<AuditEntry> ReadAudit(string jobId)
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT id, at, job_id, row_number, event, detail_json, user_name FROM audit WHERE job_id = $job ORDER BY id");
            cmd.Parameters.AddWithValue("$job", jobId);
            using var r = cmd.ExecuteReader();
            var list = new List<AuditEntry>();
            while (r.Read())
            {
                list.Add(new AuditEntry(r.GetInt64(0), ParseTime(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2),
                    r.IsDBNull(3) ? null : r.GetInt64(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6)));
            }
            return list;
        }
    }

    // --- infrastructure shared by the partial files -------------------------------------------

    private DateTimeOffset Now => _time.GetUtcNow();

    private static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static DateTimeOffset? ParseTimeOrNull(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : ParseTime(r.GetString(i));

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private void AppendAudit(SqliteTransaction tx, string? jobId, long? rowNumber, string eventName, object? detail)
    {
        using var cmd = Command("INSERT INTO audit(at, job_id, row_number, event, detail_json, user_name) VALUES ($at, $job, $row, $event, $detail, $user)", tx);
        cmd.Parameters.AddWithValue("$at", FormatTime(Now));
        cmd.Parameters.AddWithValue("$job", (object?)jobId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$row", (object?)rowNumber ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$event", eventName);
        cmd.Parameters.AddWithValue("$detail", detail is null ? DBNull.Value : AuditRedactor.Serialize(detail));
        cmd.Parameters.AddWithValue("$user", _userName);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Appends an audit entry on its own (carrier calls, observer failures).</summary>
    public void Audit(string? jobId, long? rowNumber, string eventName, object? detail) =>
        Write(tx => AppendAudit(tx, jobId, rowNumber, eventName, detail));

    /// <summary>
    /// Runs one write (BEGIN IMMEDIATE), durable when this returns. Writes of several workers that arrive while another
    /// commit is under way share the next transaction and its one fsync (group commit): each runs in its own savepoint,
    /// so one that throws is undone alone and its exception goes to its own caller, and each still checks what it
    /// checks (the run's fencing epoch, the row's state) inside the transaction. Nobody returns before the commit that
    /// holds its write. Another program holding the database locked (SQLITE_BUSY, SQLITE_LOCKED) is waited out with
    /// backoff for <see cref="BusyTimeout"/> in all, every write of the group running again from the start each time;
    /// only then do the writes fail, with E-4020.
    /// </summary>
    private T Write<T>(Func<SqliteTransaction, T> body)
    {
        var write = new PendingWrite(tx => body(tx));
        lock (_queueGate) _queue.Add(write);
        lock (_gate)
        {
            // The writer before us may have committed ours with its own.
            if (!write.Done) CommitQueued();
        }
        if (write.Error is { } error) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return (T)write.Result!;
    }

    // Under _gate: every write queued so far, in one transaction.
    private void CommitQueued()
    {
        List<PendingWrite> group;
        lock (_queueGate)
        {
            group = [.. _queue];
            _queue.Clear();
        }
        var waited = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                using var tx = _connection.BeginTransaction();
                foreach (var write in group) write.Run(tx);
                tx.Commit();
                break;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is SqliteBusy or SqliteLocked)
            {
                if (waited.Elapsed >= BusyTimeout)
                {
                    var busy = new BatchShipException(ErrorCatalog.StoreBusy,
                        $"The store at {DatabasePath} stayed locked by another program for {waited.Elapsed.TotalSeconds:0} s.", inner: e);
                    foreach (var write in group) write.Fail(busy);
                    break;
                }
                Thread.Sleep(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
#pragma warning disable CA1031 // the commit itself failed: every write of the group gets the failure
            catch (Exception e)
            {
                foreach (var write in group) write.Fail(e);
                break;
            }
#pragma warning restore CA1031
        }
        foreach (var write in group) write.Done = true;
    }

    /// <summary>One caller's write, waiting for the transaction that commits it.</summary>
    private sealed class PendingWrite(Func<SqliteTransaction, object?> body)
    {
        private const string Savepoint = "write";

        public object? Result { get; private set; }
        public Exception? Error { get; private set; }
        public bool Done { get; set; }

        // A lock error escapes (the whole group is tried again); any other error undoes this write alone.
        public void Run(SqliteTransaction tx)
        {
            Error = null;
            tx.Save(Savepoint);
            try
            {
                Result = body(tx);
                tx.Release(Savepoint);
            }
            catch (SqliteException e) when (e.SqliteErrorCode is SqliteBusy or SqliteLocked)
            {
                throw;
            }
#pragma warning disable CA1031 // handed to the caller of this write, as if it had run alone
            catch (Exception e)
            {
                tx.Rollback(Savepoint);
                tx.Release(Savepoint);
                Error = e;
            }
#pragma warning restore CA1031
        }

        public void Fail(Exception e) => Error = e;
    }

    private const int SqliteBusy = 5, SqliteLocked = 6;

    private void Write(Action<SqliteTransaction> body) => Write<object?>(tx => { body(tx); return null; });

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

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
