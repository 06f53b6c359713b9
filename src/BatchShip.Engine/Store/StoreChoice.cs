using System.Text.Json;
using BatchShip.Engine.Errors;
using Npgsql;

namespace BatchShip.Engine.Store;

/// <summary>
/// Which store a folder uses and why: <c>$env:BATCHSHIP_STORE</c> when set (a PostgreSQL connection string in keyword
/// form, or the word <c>sqlite</c>), else the folder's store.json (written by Set-BatchShipStore), else SQLite in the
/// folder. The folder keeps its other roles (labels, carrier profiles) whatever the store.
/// </summary>
public sealed record StoreChoice(StoreKind Kind, string? ConnectionString, StoreChoiceSource Source, string? SettingPath = null)
{
    /// <summary>The environment variable that chooses the store for this process.</summary>
    public const string Variable = "BATCHSHIP_STORE";

    /// <summary>The setting file in the store folder.</summary>
    public const string SettingFileName = "store.json";

    /// <summary>The word that chooses the SQLite store in <c>$env:BATCHSHIP_STORE</c>.</summary>
    public const string SqliteWord = "sqlite";

    /// <summary>The store the folder uses.</summary>
    public static StoreChoice Resolve(string folder)
    {
        var variable = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var text = variable.Trim();
            return string.Equals(text, SqliteWord, StringComparison.OrdinalIgnoreCase)
                ? new StoreChoice(StoreKind.Sqlite, null, StoreChoiceSource.Variable)
                : new StoreChoice(StoreKind.Postgres, Checked(text, $"${Variable}"), StoreChoiceSource.Variable);
        }
        var path = Path.Combine(folder, SettingFileName);
        if (File.Exists(path))
        {
            var setting = ReadSetting(path);
            return new StoreChoice(StoreKind.Postgres, Checked(setting, path), StoreChoiceSource.Setting, path);
        }
        return new StoreChoice(StoreKind.Sqlite, null, StoreChoiceSource.Default);
    }

    /// <summary>A PostgreSQL store given outright (Initialize-BatchShipStore -ConnectionString).</summary>
    public static StoreChoice Given(string connectionString) =>
        new(StoreKind.Postgres, Checked(connectionString, "-ConnectionString"), StoreChoiceSource.Parameter);

    /// <summary>Writes the folder's setting (the connection string is checked first: no password, E-4023).</summary>
    public static string SaveSetting(string folder, string connectionString)
    {
        var text = Checked(connectionString, "-ConnectionString");
        PrivatePaths.CreateFolder(folder);
        var path = Path.Combine(folder, SettingFileName);
        var temp = path + ".partial";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
            JsonSerializer.Serialize(stream, new Dictionary<string, string> { ["connectionString"] = text });
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>Removes the folder's setting; true when there was one.</summary>
    public static bool RemoveSetting(string folder)
    {
        var path = Path.Combine(folder, SettingFileName);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    /// <summary>Parses a PostgreSQL connection string in keyword form. One that holds a password is refused (E-4023):
    /// it would be written to a setting or shown; one that is not a connection string is E-4007.</summary>
    public static NpgsqlConnectionStringBuilder ParsePostgres(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // The message of a parse error can quote the text, and the text may hold a password: it is not repeated.
            throw new BatchShipException(ErrorCatalog.Configuration,
                "The store's connection string is not a PostgreSQL connection string in keyword form (Host=db1;Database=batchship;Username=clerk).", inner: null);
        }
        if (!string.IsNullOrEmpty(builder.Password))
            throw new BatchShipException(ErrorCatalog.StoreLogin,
                $"The store's connection string for database {builder.Database} on {builder.Host} holds a password; BatchShip never uses or saves one written there.",
                field: "Password");
        return builder;
    }

    /// <summary>"database D on H" for a connection string (checked first: E-4007, E-4023).</summary>
    public static string Describe(string connectionString)
    {
        var builder = ParsePostgres(connectionString);
        return $"database {builder.Database} on {builder.Host}";
    }

    private static string Checked(string connectionString, string from)
    {
        try
        {
            _ = ParsePostgres(connectionString);
            return connectionString;
        }
        catch (BatchShipException e)
        {
            throw new BatchShipException(e.Error, $"{e.Message} (from {from})", field: e.Field);
        }
    }

    private static string ReadSetting(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var setting = JsonSerializer.Deserialize<Dictionary<string, string>>(stream);
            if (setting is not null && setting.TryGetValue("connectionString", out var text) && !string.IsNullOrWhiteSpace(text)) return text;
        }
        catch (JsonException)
        {
        }
        throw new BatchShipException(ErrorCatalog.Configuration,
            $"The store setting {path} is not one Set-BatchShipStore wrote; write it again with Set-BatchShipStore, or remove it with Set-BatchShipStore -Sqlite.", field: path);
    }
}

/// <summary>Why a store was chosen.</summary>
public enum StoreChoiceSource
{
    /// <summary>Nothing chose another: SQLite in the store folder.</summary>
    Default,

    /// <summary>The environment variable <c>BATCHSHIP_STORE</c>.</summary>
    Variable,

    /// <summary>The store folder's store.json, written by Set-BatchShipStore.</summary>
    Setting,

    /// <summary>A connection string given to the command.</summary>
    Parameter,
}

/// <summary>What Initialize-BatchShipStore did: which store, where, why that one, and its schema version before and after.</summary>
public sealed record StoreInitialization(StoreKind Kind, string Location, StoreChoiceSource Source, int VersionBefore, int VersionAfter);
