using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Finds a template by built-in name or by path.</summary>
public static class TemplateLibrary
{
    /// <summary>The file extension of a template file.</summary>
    public const string Extension = ".sbn";

    /// <summary>
    /// Loads a built-in template (<c>&lt;name&gt;.sbn</c> in <paramref name="builtInDirectory"/>, name matched
    /// case-insensitively; a built-in ending in <c>-&lt;name&gt;</c> also matches, the <c>ups-</c> one first when several
    /// do, so <c>Ground</c> finds <c>ups-ground</c>) or a <c>.sbn</c> file by path. Unknown is E-4007 naming the built-ins.
    /// </summary>
    public static ShipmentTemplate Load(string nameOrPath, string builtInDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        var looksLikePath = nameOrPath.EndsWith(Extension, StringComparison.OrdinalIgnoreCase)
            || nameOrPath.IndexOfAny(['/', '\\']) >= 0;

        if (!looksLikePath)
        {
            var builtIns = BuiltInFiles(builtInDirectory);
            var match = builtIns.FirstOrDefault(f => string.Equals(NameOf(f), nameOrPath, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                var suffixed = builtIns.Where(f => NameOf(f).EndsWith("-" + nameOrPath, StringComparison.OrdinalIgnoreCase)).ToArray();
                // Ground stays the UPS body template of the default carriers when other servers' templates share the word.
                match = suffixed.Length == 1 ? suffixed[0]
                    : suffixed.FirstOrDefault(f => NameOf(f).StartsWith("ups-", StringComparison.OrdinalIgnoreCase));
            }
            if (match is not null) return Read(match, NameOf(match));
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"There is no template '{nameOrPath}'. Built-in templates: {Describe(builtIns)}; or give the path of a {Extension} file.",
                "Template");
        }

        var path = Path.GetFullPath(nameOrPath);
        if (!path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase) || !File.Exists(path))
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"Template file '{nameOrPath}' was not found (a template is a {Extension} file). Built-in templates: {Describe(BuiltInFiles(builtInDirectory))}.",
                "Template");
        return Read(path, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>The names of the built-in templates, sorted; empty when the folder does not exist.</summary>
    public static IReadOnlyList<string> BuiltInNames(string builtInDirectory) => BuiltInFiles(builtInDirectory).Select(NameOf).ToArray();

    private static string[] BuiltInFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*" + Extension)
                .Where(f => f.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
                .OrderBy(NameOf, StringComparer.OrdinalIgnoreCase)
                .ToArray()
            : [];

    private static string NameOf(string file) => Path.GetFileNameWithoutExtension(file);

    private static string Describe(string[] files) => files.Length == 0 ? "(none installed)" : string.Join(", ", files.Select(NameOf));

    private static ShipmentTemplate Read(string path, string name)
    {
        string source;
        try
        {
            source = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BatchShipException(ErrorCatalog.FileSystem, $"Template file '{path}' could not be read: {e.Message}", "Template", inner: e);
        }
        return ShipmentTemplate.Parse(name, source);
    }
}
