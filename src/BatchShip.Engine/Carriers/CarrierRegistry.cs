using System.Text.Json;
using System.Text.Json.Nodes;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Carriers;

/// <summary>One carrier profile as listed: where it comes from and the profile itself.</summary>
/// <param name="Name">The carrier's name.</param>
/// <param name="Source"><c>built-in</c>, or the path of the user's profile file.</param>
/// <param name="BuiltIn">True for a profile shipped with the module.</param>
/// <param name="Profile">The profile, or null when its file cannot be read.</param>
/// <param name="Problem">Why the file cannot be read, or null.</param>
public sealed record CarrierEntry(string Name, string Source, bool BuiltIn, CarrierProfile? Profile, string? Problem);

/// <summary>
/// Lists, writes and removes carrier profiles. Built-in ones are the sandbox and the presets shipped with the module
/// (<c>carriers/&lt;name&gt;.json</c> under the module folder); a user's are <c>&lt;store&gt;/carriers/&lt;name&gt;.json</c>,
/// written private (0600 in a 0700 folder), and never with a secret in them.
/// </summary>
public static class CarrierRegistry
{
    /// <summary>What <see cref="CarrierEntry.Source"/> says for a profile shipped with the module.</summary>
    public const string BuiltInSource = "built-in";

    /// <summary>The folder of the user's profiles.</summary>
    public static string UserFolder(string storeFolder) => Path.Combine(storeFolder, "carriers");

    /// <summary>Every profile: the sandbox, the built-in ones (<see cref="CarrierProfiles.BuiltInNames"/>), then the user's,
    /// sorted by name. A user's file with a built-in name stands in for the built-in one, so it is listed as the user's.</summary>
    public static IReadOnlyList<CarrierEntry> List(string moduleRoot, string storeFolder)
    {
        var userFiles = JsonFiles(UserFolder(storeFolder))
            .Where(f => CarrierProfiles.IsValidName(Path.GetFileNameWithoutExtension(f)))
            .ToList();
        bool HasUserFile(string name) => userFiles.Any(f => string.Equals(Path.GetFileNameWithoutExtension(f), name, StringComparison.OrdinalIgnoreCase));

        var entries = new List<CarrierEntry>
        {
            Entry(CarrierProfiles.SandboxName, BuiltInSource, true, () => CarrierProfiles.Sandbox(moduleRoot)),
        };
        foreach (var name in CarrierProfiles.BuiltInNames.Where(n => !HasUserFile(n)))
            entries.Add(Entry(name, BuiltInSource, true, () => CarrierProfiles.BuiltIn(name, moduleRoot)));
        foreach (var file in userFiles)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            entries.Add(Entry(name, file, false, () => CarrierProfiles.Resolve(name, moduleRoot, storeFolder)));
        }
        return entries;
    }

    /// <summary>The JSON of a built-in profile, to copy, or an E-4007 error listing the presets there are.</summary>
    public static JsonObject Preset(string moduleRoot, string name)
    {
        var builtIn = CarrierProfiles.BuiltInNames.FirstOrDefault(b => string.Equals(b, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new BatchShipException(ErrorCatalog.Configuration,
                $"There is no built-in carrier preset '{name}'. Presets: {string.Join(", ", CarrierProfiles.BuiltInNames)}.", field: "Preset");
        var file = CarrierProfiles.BuiltInFile(builtIn, moduleRoot);
        string text;
        try { text = File.ReadAllText(file); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"The built-in carrier profile {builtIn} is missing from the module ({file}); reinstall or rebuild the module.", inner: ex);
        }
        return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
            ?? throw new BatchShipException(ErrorCatalog.Configuration, $"The built-in preset {file} is not a JSON object; reinstall the module.");
    }

    /// <summary>
    /// Writes a user's profile. The JSON is checked as a profile first (E-4007), a literal secret in it is refused
    /// (E-4021) and a name taken by a built-in or, without <paramref name="force"/>, by a user's profile is refused
    /// (E-4007). Returns the file's path.
    /// </summary>
    public static string Register(string moduleRoot, string storeFolder, string name, JsonObject profile, bool force)
    {
        EnsureUserName(moduleRoot, name);
        var environment = EnvironmentOf(profile);
        if (CarrierEnvironment.LiteralSecretKey(environment) is { } key)
            throw new BatchShipException(ErrorCatalog.SecretInProfile,
                $"Carrier '{name}' would hold a literal value for {key}, which looks like a secret; nothing was written.", field: key);
        foreach (var (variable, value) in environment)
            if (SecretReference.LooksLikeReference(value) && SecretReference.Parse(value) is null)
                throw new BatchShipException(ErrorCatalog.Configuration,
                    $"Carrier '{name}' gives {variable} the reference '{value}', which is not of the form secret:<vault>/<name>.", field: variable);

        var json = profile.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        CarrierProfileReader.Read(name, json);

        var folder = UserFolder(storeFolder);
        PrivatePaths.CreateFolder(folder);
        PrivatePaths.EnsureFolder(folder, "carrier profile folder");
        var existing = Existing(folder, name);
        if (existing is not null && !force)
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"A carrier named '{name}' is already registered ({existing}). Add -Force to replace it.", field: "Name");
        var file = existing ?? Path.Combine(folder, name + ".json");

        // Written beside and renamed over, so a reader never sees half a profile; created 0600 so it is never readable by others.
        var temp = file + ".partial";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temp, System.Text.Encoding.UTF8, options)) writer.Write(json);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, file, overwrite: true);
        return file;
    }

    /// <summary>The user's profile file of that name, or an E-4007 error (a built-in is refused: it is not a file of yours).</summary>
    public static string UserProfileFile(string moduleRoot, string storeFolder, string name)
    {
        EnsureUserName(moduleRoot, name);
        return Existing(UserFolder(storeFolder), name) ?? throw new BatchShipException(ErrorCatalog.Configuration,
            $"No registered carrier named '{name}'. Registered carriers: {string.Join(", ", JsonFiles(UserFolder(storeFolder)).Select(Path.GetFileNameWithoutExtension).DefaultIfEmpty("none"))}.",
            field: "Name");
    }

    /// <summary>Removes a user's profile; a built-in or an unknown name is E-4007.</summary>
    public static string Unregister(string moduleRoot, string storeFolder, string name)
    {
        var file = UserProfileFile(moduleRoot, storeFolder, name);
        File.Delete(file);
        return file;
    }

    /// <summary>The names of the built-in profiles, the sandbox first.</summary>
    public static IEnumerable<string> BuiltInNames() => new[] { CarrierProfiles.SandboxName }.Concat(CarrierProfiles.BuiltInNames);

    private static void EnsureUserName(string moduleRoot, string name)
    {
        if (!CarrierProfiles.IsValidName(name))
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"'{name}' is not a carrier name: use letters, digits, '-', '_' or '.'.", field: "Name");
        if (BuiltInNames().Any(b => string.Equals(b, name, StringComparison.OrdinalIgnoreCase)))
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"'{name}' is a built-in carrier, which cannot be registered over or removed; choose another name.", field: "Name");
    }

    private static Dictionary<string, string> EnvironmentOf(JsonObject profile)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var env = profile.FirstOrDefault(p => string.Equals(p.Key, "env", StringComparison.OrdinalIgnoreCase)).Value;
        if (env is JsonObject o)
            foreach (var (key, value) in o)
                if (value is JsonValue v && v.TryGetValue<string>(out var text)) map[key] = text;
        return map;
    }

    private static string? Existing(string folder, string name) =>
        JsonFiles(folder).FirstOrDefault(f => string.Equals(Path.GetFileNameWithoutExtension(f), name, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> JsonFiles(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.OrdinalIgnoreCase) : [];

    private static CarrierEntry Entry(string name, string source, bool builtIn, Func<CarrierProfile> read)
    {
        try { return new CarrierEntry(name, source, builtIn, read(), null); }
        catch (Exception e) when (e is BatchShipException or IOException or UnauthorizedAccessException)
        {
            return new CarrierEntry(name, source, builtIn, null, e.Message);
        }
    }
}
