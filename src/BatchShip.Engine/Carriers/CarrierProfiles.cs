using System.Text.RegularExpressions;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Carriers;

/// <summary>Finds carrier profiles: the built-in sandbox, user profiles in <c>&lt;store folder&gt;/carriers/&lt;name&gt;.json</c>,
/// and the built-in profiles of the public UPS servers in <c>&lt;module&gt;/carriers/&lt;name&gt;.json</c>. A user's profile of
/// the same name as a built-in one is used instead of it, so a built-in profile can be adapted (another path, other variables).</summary>
public static partial class CarrierProfiles
{
    /// <summary>The name of the built-in offline carrier.</summary>
    public const string SandboxName = "Sandbox";

    /// <summary>The profiles shipped with the module (module/carriers/&lt;name&gt;.json), for the public UPS MCP servers.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["UPS", "ShipAgentTS", "Roscoej", "UPSOfficial"];

    /// <summary>The sandbox's assembly, relative to the module root.</summary>
    public static readonly string SandboxRelativePath = Path.Combine("carriers", "sandbox", "BatchShip.SandboxCarrier.dll");

    /// <summary>The profile with the given name (case-insensitive); an unknown name or a bad file is an E-4007 error.</summary>
    public static CarrierProfile Resolve(string name, string moduleRoot, string storeFolder)
    {
        if (string.IsNullOrWhiteSpace(name) || !ValidName().IsMatch(name))
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"'{name}' is not a carrier name: use letters, digits, '-', '_' or '.'.", field: "Carrier");

        if (string.Equals(name, SandboxName, StringComparison.OrdinalIgnoreCase)) return Sandbox(moduleRoot);

        var file = ProfileFile(storeFolder, name);
        if (file is null && BuiltInNames.FirstOrDefault(b => string.Equals(b, name, StringComparison.OrdinalIgnoreCase)) is { } builtIn)
            return BuiltIn(builtIn, moduleRoot);
        if (file is null)
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"No carrier named '{name}'. Known carriers: {string.Join(", ", Names(storeFolder))}. " +
                $"A carrier profile is a file {Path.Combine(storeFolder, "carriers", name + ".json")}.", field: "Carrier");

        // A profile's command runs as the current user: one that another user made or can change is never read.
        PrivatePaths.EnsureFolder(Path.GetDirectoryName(file)!, "carrier profile folder");
        PrivatePaths.EnsureFile(file, "carrier profile");
        string json;
        try { json = File.ReadAllText(file); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BatchShipException(ErrorCatalog.Configuration, $"Cannot read carrier profile {file}: {ex.Message}", inner: ex);
        }
        return CarrierProfileReader.Read(Path.GetFileNameWithoutExtension(file), json);
    }

    /// <summary>The names of every carrier, the sandbox first, then the built-in profiles, then the user's, for tab completion.</summary>
    public static IReadOnlyList<string> Names(string storeFolder)
    {
        var names = new List<string> { SandboxName };
        names.AddRange(BuiltInNames);
        var folder = Path.Combine(storeFolder, "carriers");
        if (Directory.Exists(folder))
            names.AddRange(Directory.EnumerateFiles(folder, "*.json")
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .Where(n => ValidName().IsMatch(n) && !names.Contains(n, StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.OrdinalIgnoreCase));
        return names;
    }

    /// <summary>Where the module keeps a built-in profile.</summary>
    public static string BuiltInFile(string name, string moduleRoot) => Path.Combine(moduleRoot, "carriers", name + ".json");

    /// <summary>A profile shipped with the module, read by the same reader as a user's file.</summary>
    public static CarrierProfile BuiltIn(string name, string moduleRoot)
    {
        var file = BuiltInFile(name, moduleRoot);
        string json;
        try { json = File.ReadAllText(file); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"The built-in carrier profile {name} is missing from the module ({file}); reinstall or rebuild the module.", inner: ex);
        }
        return CarrierProfileReader.Read(name, json);
    }

    /// <summary>The built-in sandbox carrier shipped under the module root.</summary>
    public static CarrierProfile Sandbox(string moduleRoot)
    {
        var dll = Path.Combine(moduleRoot, SandboxRelativePath);
        if (!File.Exists(dll))
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"The sandbox carrier is missing from the module ({dll}); reinstall or rebuild the module.");
        return ForSandboxAssembly(dll);
    }

    /// <summary>A sandbox profile that starts the given sandbox assembly with the dotnet host.</summary>
    public static CarrierProfile ForSandboxAssembly(string sandboxDll) =>
        new(SandboxName, DotnetHost.Locate()) { Arguments = [Path.GetFullPath(sandboxDll)] };

    /// <summary>True when a name can be a carrier's (it becomes a file name: letters, digits, '-', '_', '.').</summary>
    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    private static string? ProfileFile(string storeFolder, string name)
    {
        var folder = Path.Combine(storeFolder, "carriers");
        if (!Directory.Exists(folder)) return null;
        // Case-insensitive on every file system, so "ups" finds UPS.json on Linux too.
        return Directory.EnumerateFiles(folder, "*.json")
            .FirstOrDefault(f => string.Equals(Path.GetFileNameWithoutExtension(f), name, StringComparison.OrdinalIgnoreCase));
    }

    // Names become file names: no separators, no "..".
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
