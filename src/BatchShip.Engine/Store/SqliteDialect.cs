using System.Data.Common;
using System.Diagnostics;
using BatchShip.Engine.Errors;
using Microsoft.Data.Sqlite;

namespace BatchShip.Engine.Store;

/// <summary>
/// The per-user SQLite file: one connection, guarded by a lock, serves every worker of a process (SQLite serializes
/// writers anyway); other processes share the file through WAL. Commits are durable (synchronous=FULL).
/// </summary>
internal sealed class SqliteDialect : StoreDialect
{
    private const int SqliteBusy = 5, SqliteLocked = 6;

    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly object _gate = new();
    private readonly object _queueGate = new();
    private readonly List<PendingWrite> _queue = [];

    private SqliteDialect(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
    }

    /// <summary>Opens the file (which must exist) and migrates it forward.</summary>
    public static SqliteDialect Open(string path)
    {
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
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;";
                cmd.ExecuteNonQuery();
            }
            var found = StoreSchema.Migrate(connection);
            return new SqliteDialect(connection, path) { VersionAtOpen = found };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override StoreKind Kind => StoreKind.Sqlite;

    public override string Location => _path;

    public override string JobInsertionOrder => "rowid";

    public override T Read<T>(Func<DbConnection, T> body)
    {
        lock (_gate) return body(_connection);
    }

    /// <summary>
    /// Runs one write (BEGIN IMMEDIATE), durable when this returns. Writes of several workers that arrive while another
    /// commit is under way share the next transaction and its one fsync (group commit): each runs in its own savepoint,
    /// so one that throws is undone alone and its exception goes to its own caller, and each still checks what it
    /// checks (the run's fencing epoch, the row's state) inside the transaction. Nobody returns before the commit that
    /// holds its write. Another program holding the database locked (SQLITE_BUSY, SQLITE_LOCKED) is waited out with
    /// backoff for <see cref="StoreDialect.BusyTimeout"/> in all, every write of the group running again from the start
    /// each time; only then do the writes fail, with E-4020.
    /// </summary>
    public override T Write<T>(Func<DbTransaction, T> body)
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
                        $"The store at {_path} stayed locked by another program for {waited.Elapsed.TotalSeconds:0} s.", inner: e);
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
    private sealed class PendingWrite(Func<DbTransaction, object?> body)
    {
        private const string Savepoint = "write";

        public object? Result { get; private set; }
        public Exception? Error { get; private set; }
        public bool Done { get; set; }

        // A lock error escapes (the whole group is tried again); any other error undoes this write alone.
        public void Run(DbTransaction tx)
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

    public override void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }
}
