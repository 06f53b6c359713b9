using System.Diagnostics;
using System.Text.Json;
using BatchShip.Engine.Store;
using Npgsql;

namespace BatchShip.Engine.Tests.Store;

/// <summary>
/// The PostgreSQL server of the test run: the one <c>BATCHSHIP_TEST_POSTGRES</c> names (build.ps1 -Task Test starts it),
/// else one this process starts with tools/TestPostgres.ps1 and stops when it exits, so that <c>dotnet test</c> alone runs
/// the PostgreSQL leg too. A server that cannot be had fails the tests that need it; they are never skipped.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "BATCHSHIP_TEST_POSTGRES";

    private static readonly Lazy<string> Server = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _dataFolder;

    /// <summary>A superuser's connection string to the server's maintenance database.</summary>
    public static string ServerConnectionString => Server.Value;

    /// <summary>The folder of the server this process started (null when it was given): tools/TestPostgres.ps1 -Restart needs it.</summary>
    public static string? DataFolder
    {
        get
        {
            _ = Server.Value;
            return _dataFolder ?? Environment.GetEnvironmentVariable("BATCHSHIP_TEST_POSTGRES_DATA");
        }
    }

    /// <summary>A new, empty database with a unique name; dropped when the result is disposed.</summary>
    public static TestDatabase CreateDatabase()
    {
        var name = "bs_" + Guid.NewGuid().ToString("n")[..16];
        using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            connection.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            cmd.ExecuteNonQuery();
        }
        return new TestDatabase(name, new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString);
    }

    /// <summary>Runs tools/TestPostgres.ps1 with the arguments; its standard output.</summary>
    public static string RunTool(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(RepositoryRoot(), "tools", "TestPostgres.ps1"), .. arguments])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tools/TestPostgres.ps1 {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        return output;
    }

    private static string StartOrFind()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(given)) return given;
        var output = RunTool("-Start");
        using var json = JsonDocument.Parse(output.Trim().Split('\n').Last());
        _dataFolder = json.RootElement.GetProperty("DataFolder").GetString();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunTool("-Stop", "-DataFolder", _dataFolder!);
        return json.RootElement.GetProperty("ConnectionString").GetString()!;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BatchShip.Cmdlets.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (BatchShip.Cmdlets.sln) was not found above the test assembly.");
    }
}

/// <summary>A database of the test server, dropped on dispose.</summary>
internal sealed class TestDatabase(string name, string connectionString) : IDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(TestPostgres.ServerConnectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        cmd.ExecuteNonQuery();
    }
}

/// <summary>
/// A store of the kind under test in a folder: SQLite in the folder, or a fresh PostgreSQL database (initialised) with
/// the folder for labels. Every store it opens is the same store, as a second station or process would open it.
/// </summary>
internal sealed class TestStoreSource : IDisposable
{
    private readonly TestDatabase? _database;

    public TestStoreSource(StoreKind kind, string folder)
    {
        Kind = kind;
        Folder = folder;
        if (kind == StoreKind.Postgres)
        {
            _database = TestPostgres.CreateDatabase();
            BatchShip.Engine.Store.BatchStore.Initialize(folder, _database.ConnectionString);
        }
    }

    public StoreKind Kind { get; }

    public string Folder { get; }

    /// <summary>The PostgreSQL connection string of the store (null for SQLite).</summary>
    public string? ConnectionString => _database?.ConnectionString;

    public BatchShip.Engine.Store.BatchStore Open(TimeProvider? time = null) => Kind == StoreKind.Postgres
        ? BatchShip.Engine.Store.BatchStore.OpenPostgres(Folder, _database!.ConnectionString, time)
        : BatchShip.Engine.Store.BatchStore.Open(Folder, time);

    public void Dispose() => _database?.Dispose();
}
