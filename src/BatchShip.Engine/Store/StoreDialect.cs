using System.Data.Common;

namespace BatchShip.Engine.Store;

/// <summary>Which database holds a store.</summary>
public enum StoreKind
{
    /// <summary>The per-user SQLite file in the store folder.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by several stations.</summary>
    Postgres,
}

/// <summary>
/// What differs between the two databases a <see cref="BatchStore"/> runs on: how a connection is had, how the schema is
/// kept, how a write transaction runs and which failures it waits out, and the few SQL fragments that differ. Everything
/// else (every statement, the transition table, the row protocol, the audit) is the store's, written once.
/// </summary>
internal abstract class StoreDialect : IDisposable
{
    public abstract StoreKind Kind { get; }

    /// <summary>Where the store is, for messages (never a password).</summary>
    public abstract string Location { get; }

    /// <summary>How long a write may wait, in all, for locks, conflicts or the server to pass before it fails (E-4020).</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The schema version the store had when it was opened (before a migration).</summary>
    public int VersionAtOpen { get; protected set; }

    /// <summary>The column that orders jobs created in the same instant by creation.</summary>
    public abstract string JobInsertionOrder { get; }

    /// <summary>What a sub-select that picks rows to claim ends with, so that two runners claiming at once skip each
    /// other's rows instead of waiting on them. SQLite needs nothing: its writer is serialized.</summary>
    public virtual string SkipLockedRows => "";

    /// <summary>Runs a read on a connection that sees committed data.</summary>
    public abstract T Read<T>(Func<DbConnection, T> body);

    /// <summary>Runs a write in a transaction and commits it durably. The body may run more than once (a lock, a
    /// conflict with another station or a lost server is waited out by running it again on a fresh transaction), so it
    /// must decide everything from what it reads inside the transaction. Its own exceptions reach the caller unchanged.</summary>
    public abstract T Write<T>(Func<DbTransaction, T> body);

    public abstract void Dispose();
}

/// <summary>Binds parameters by name, the same way for both providers.</summary>
internal static class DbCommandParameters
{
    public static DbParameter Bind(this DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
        return p;
    }

    public static DbParameter Bind(this DbCommand cmd, string name, System.Data.DbType type)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        p.Value = DBNull.Value;
        cmd.Parameters.Add(p);
        return p;
    }
}
