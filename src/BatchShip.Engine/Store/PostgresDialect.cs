using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using BatchShip.Engine.Errors;
using Npgsql;

namespace BatchShip.Engine.Store;

/// <summary>
/// A team's PostgreSQL database. Every write is its own SERIALIZABLE transaction on a pooled connection; a
/// serialization failure, a deadlock, a second live claim of a natural key (another station got there first) or a lost
/// server runs the whole body again on a fresh transaction after a short jittered pause, for up to
/// <see cref="StoreDialect.BusyTimeout"/> in all, then fails with E-4020. None of them is ever a row's error.
/// </summary>
internal sealed class PostgresDialect : StoreDialect
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _host;
    private readonly string _database;

    private PostgresDialect(NpgsqlDataSource dataSource, string host, string database)
    {
        _dataSource = dataSource;
        _host = host;
        _database = database;
    }

    /// <summary>A pool for the connection string (refused with E-4023 when it holds a password). Nothing is opened yet.</summary>
    public static PostgresDialect Connect(string connectionString)
    {
        var builder = StoreChoice.ParsePostgres(connectionString);
        builder.ApplicationName ??= "BatchShip";
        // The password, when the server asks for one, comes from PGPASSWORD or ~/.pgpass, which Npgsql reads itself.
        return new PostgresDialect(NpgsqlDataSource.Create(builder.ConnectionString), builder.Host ?? "localhost",
            builder.Database ?? builder.Username ?? Environment.UserName);
    }

    public override StoreKind Kind => StoreKind.Postgres;

    public override string Location => $"database {_database} on {_host}";

    public override string JobInsertionOrder => "seq";

    public override string SkipLockedRows => " FOR UPDATE SKIP LOCKED";

    /// <summary>Refuses a store whose schema is not this module's: a newer one (update the module), or an older or
    /// empty one (E-4022: a station's role may not create tables, so only Initialize-BatchShipStore migrates).</summary>
    public void EnsureCurrentSchema()
    {
        var version = Opened(connection => ReadVersion(connection, null), retry: false);
        VersionAtOpen = version;
        if (version > PostgresSchema.CurrentVersion)
            throw StoreSchema.NewerSchema(Location, version, PostgresSchema.CurrentVersion);
        if (version < PostgresSchema.CurrentVersion)
            throw new BatchShipException(ErrorCatalog.StoreNotInitialized, version == 0
                ? $"The PostgreSQL {Location} holds no BatchShip store yet."
                : $"The PostgreSQL {Location} holds a BatchShip store of schema {version}; this module needs schema {PostgresSchema.CurrentVersion}.",
                field: _database);
    }

    /// <summary>Creates or migrates the schema, under an advisory lock so that stations initialising at once take
    /// turns; idempotent. Returns the version found and the version left.</summary>
    public (int From, int To) Migrate() => Opened(connection =>
    {
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, $"SELECT pg_advisory_xact_lock({PostgresSchema.MigrationLock.ToString(CultureInfo.InvariantCulture)})");
        Execute(connection, tx, PostgresSchema.CreateVersionTable);
        var from = ReadVersion(connection, tx);
        if (from > PostgresSchema.CurrentVersion) throw StoreSchema.NewerSchema(Location, from, PostgresSchema.CurrentVersion);
        for (var v = from; v < PostgresSchema.CurrentVersion; v++) Execute(connection, tx, PostgresSchema.Migration(v));
        using (var cmd = new NpgsqlCommand(PostgresSchema.WriteVersion, connection, tx))
        {
            cmd.Parameters.AddWithValue("version", PostgresSchema.CurrentVersion);
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return (from, PostgresSchema.CurrentVersion);
    }, retry: false);

    private static int ReadVersion(NpgsqlConnection connection, NpgsqlTransaction? tx)
    {
        using (var has = new NpgsqlCommand(PostgresSchema.HasVersionTable, connection, tx))
        {
            if (has.ExecuteScalar() is not true) return 0;
        }
        using var cmd = new NpgsqlCommand(PostgresSchema.ReadVersion, connection, tx);
        return cmd.ExecuteScalar() is int version ? version : 0;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection, tx);
        cmd.ExecuteNonQuery();
    }

    public override T Read<T>(Func<DbConnection, T> body) => Opened(body, retry: true);

    public override T Write<T>(Func<DbTransaction, T> body) => Opened(connection =>
    {
        using var tx = connection.BeginTransaction(IsolationLevel.Serializable);
        var result = body(tx);
        tx.Commit();
        return result;
    }, retry: true);

    // Runs on a pooled connection; what another station or the server causes is waited out when retry is set.
    private T Opened<T>(Func<NpgsqlConnection, T> run, bool retry)
    {
        var waited = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            try
            {
                using var connection = _dataSource.OpenConnection();
                return run(connection);
            }
            catch (PostgresException e) when (e.SqlState is "28P01" or "28000")
            {
                throw new BatchShipException(ErrorCatalog.StoreLogin,
                    $"The PostgreSQL server on {_host} refused the login to database {_database}: {e.MessageText}", field: _database, inner: e);
            }
            catch (PostgresException e) when (e.SqlState == "3D000")
            {
                throw new BatchShipException(ErrorCatalog.StoreNotInitialized,
                    $"The PostgreSQL server on {_host} has no database {_database}.", field: _database, inner: e);
            }
            catch (NpgsqlException e) when (Recover(e) is { } lost)
            {
                if (lost) _dataSource.Clear(); // idle connections to a server that went away are dead too
                if (!retry || waited.Elapsed >= BusyTimeout)
                    throw new BatchShipException(ErrorCatalog.StoreBusy, lost
                        ? $"The PostgreSQL {Location} could not be reached{(retry ? $" for {waited.Elapsed.TotalSeconds:0} s" : "")}: {e.Message}"
                        : $"The PostgreSQL {Location} kept refusing this write for {waited.Elapsed.TotalSeconds:0} s because of other stations' writes: {e.Message}",
                        field: _database, inner: e);
                // Jittered, so that two stations that collided do not collide again in step.
                Thread.Sleep(pause * (0.5 + Random.Shared.NextDouble()));
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
            }
        }
    }

    // Null: not ours to wait out. False: a conflict with another transaction. True: the server or the connection went away.
    private static bool? Recover(NpgsqlException e) => e switch
    {
        PostgresException { SqlState: "40001" or "40P01" } => false,
        PostgresException { SqlState: "23505", ConstraintName: PostgresSchema.KeyClaimIndex } => false,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } => true,
        PostgresException p when p.SqlState.StartsWith("08", StringComparison.Ordinal) => true,
        PostgresException => null,
        _ when e.IsTransient || e.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        _ => null,
    };

    public override void Dispose() => _dataSource.Dispose();
}
