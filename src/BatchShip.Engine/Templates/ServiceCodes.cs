using System.Collections.Frozen;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>UPS service names as people write them, mapped to the Ship API service codes.</summary>
internal static class ServiceCodes
{
    private static readonly (string Code, string[] Names)[] Table =
    [
        ("01", ["Next Day Air", "NDA", "Next Day", "Overnight", "1 Day", "One Day", "Red"]),
        ("02", ["2nd Day Air", "Second Day Air", "2 Day Air", "2 Day", "Two Day", "2DA", "Blue"]),
        ("03", ["Ground", "GND", "UPS Ground"]),
        ("07", ["Worldwide Express", "WW Express", "International Express"]),
        ("08", ["Worldwide Expedited", "WW Expedited", "Expedited"]),
        ("11", ["Standard", "UPS Standard"]),
        ("12", ["3 Day Select", "Three Day Select", "3 Day", "3DS", "Orange"]),
        ("13", ["Next Day Air Saver", "NDA Saver", "Next Day Saver"]),
        ("14", ["Next Day Air Early", "Next Day Air Early AM", "Next Day Air Early A.M.", "NDA Early", "Early AM", "Early A.M."]),
        ("54", ["Worldwide Express Plus", "WW Express Plus", "Express Plus"]),
        ("59", ["2nd Day Air AM", "2nd Day Air A.M.", "Second Day Air AM", "2 Day Air AM", "2DA AM"]),
        ("65", ["Worldwide Saver", "WW Saver", "Saver"]),
    ];

    private static readonly FrozenDictionary<string, string> ByKey = Build();

    /// <summary>A service name (any case, with or without "UPS") or a code (3 or 03) → the two-digit code; else E-2008.</summary>
    public static string Normalize(string? value)
    {
        var key = Key(value);
        if (key.Length == 0)
            throw ValueError.Of(ErrorCatalog.Service, "Service is empty; give a service name (Ground, Next Day Air, ...) or a UPS code (03).");
        return ByKey.TryGetValue(key, out var code)
            ? code
            : throw ValueError.Of(ErrorCatalog.Service,
                $"Service {ValueError.Quote(value)} is not a UPS service; use a code ({string.Join(", ", Table.Select(t => t.Code))}) or a name such as Ground, Next Day Air, 2nd Day Air, 3 Day Select.");
    }

    // Lower case, no dots or dashes, single spaces, without a leading "ups", so "UPS 2nd-Day Air" meets "2nd day air".
    private static string Key(string? value)
    {
        var cleaned = new string((value ?? "").Select(c => c is '.' or '-' or '_' or '®' ? ' ' : char.ToLowerInvariant(c)).ToArray());
        var words = cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (words.Count > 1 && words[0] == "ups") words.RemoveAt(0);
        // "a m" comes from "A.M." once dots become spaces.
        var joined = string.Join(' ', words).Replace("a m", "am", StringComparison.Ordinal);
        return joined;
    }

    private static FrozenDictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, names) in Table)
        {
            map[code] = code;
            map[code.TrimStart('0')] = code;
            foreach (var name in names) map[Key(name)] = code;
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
