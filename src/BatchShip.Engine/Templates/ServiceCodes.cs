using System.Collections.Frozen;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>
/// UPS service names as people and shop systems write them, mapped to the Ship API service codes, and the check that
/// a service serves the row's lane (US domestic or international) before anything is bought.
/// </summary>
internal static class ServiceCodes
{
    private static readonly (string Code, string Name, string[] Names)[] Table =
    [
        ("01", "Next Day Air", ["Next Day Air", "NDA", "Next Day", "Overnight", "1 Day", "One Day", "Red"]),
        ("02", "2nd Day Air", ["2nd Day Air", "Second Day Air", "2 Day Air", "2 Day", "Two Day", "2DA", "Blue"]),
        ("03", "Ground", ["Ground", "GND", "UPS Ground"]),
        ("07", "Worldwide Express", ["Worldwide Express", "WW Express", "International Express", "Express"]),
        ("08", "Worldwide Expedited", ["Worldwide Expedited", "WW Expedited", "Expedited"]),
        ("11", "UPS Standard", []),
        ("12", "3 Day Select", ["3 Day Select", "Three Day Select", "3 Day", "3DS", "Orange"]),
        ("13", "Next Day Air Saver", ["Next Day Air Saver", "NDA Saver", "Next Day Saver"]),
        ("14", "Next Day Air Early", ["Next Day Air Early", "Next Day Air Early AM", "Next Day Air Early A.M.", "NDA Early", "Early AM", "Early A.M."]),
        ("54", "Worldwide Express Plus", ["Worldwide Express Plus", "WW Express Plus", "Express Plus"]),
        ("59", "2nd Day Air A.M.", ["2nd Day Air AM", "2nd Day Air A.M.", "Second Day Air AM", "2 Day Air AM", "2DA AM"]),
        ("65", "Worldwide Saver", ["Worldwide Saver", "WW Saver"]),
    ];

    // Shop words whose UPS service depends on the lane: "Standard" shipping is Ground at home and UPS Standard
    // abroad; "Saver" is Next Day Air Saver at home and Worldwide Saver abroad.
    private static readonly (string Name, string Domestic, string International)[] ByLane =
    [
        ("Standard", "03", "11"),
        ("Saver", "13", "65"),
    ];

    private static readonly string[] DomesticCodes = ["01", "02", "03", "12", "13", "14", "59"];
    private static readonly string[] CanadaCodes = ["11", "07", "08", "65"];
    private static readonly string[] InternationalCodes = ["07", "08", "65", "54"];

    // Trailing words that add nothing to a service name in a shop export: "Standard Shipping", "Next Day Delivery".
    private static readonly string[] Filler = ["shipping", "delivery", "service"];

    private static readonly FrozenDictionary<string, string> ByKey = Build();
    private static readonly FrozenDictionary<string, (string Domestic, string International)> LaneKeys =
        ByLane.ToFrozenDictionary(l => Key(l.Name), l => (l.Domestic, l.International), StringComparer.Ordinal);

    /// <summary>
    /// A service name (any case, with or without "UPS") or a code (3 or 03) → the two-digit code; else E-2008.
    /// With a destination, the service must serve the lane from <paramref name="origin"/> (US by default) to it:
    /// US domestic services (Ground, Next Day Air, ...) only within the US and Puerto Rico, international services
    /// only across borders; else E-2013 naming the services that do.
    /// </summary>
    public static string Normalize(string? value, string? destination = null, string? origin = null)
    {
        var key = Key(value);
        if (key.Length == 0)
            throw ValueError.Of(ErrorCatalog.Service, "Service is empty; give a service name (Ground, Next Day Air, ...) or a UPS code (03).");
        var domestic = string.IsNullOrWhiteSpace(destination) || IsDomesticLane(origin, destination);
        string? code;
        if (LaneKeys.TryGetValue(key, out var byLane)) code = domestic ? byLane.Domestic : byLane.International;
        else if (!ByKey.TryGetValue(key, out code))
            throw ValueError.Of(ErrorCatalog.Service,
                $"Service {ValueError.Quote(value)} is not a UPS service; use a code ({string.Join(", ", Table.Select(t => t.Code))}) or a name such as Ground, Next Day Air, 2nd Day Air, 3 Day Select.");
        if (string.IsNullOrWhiteSpace(destination) || DomesticCodes.Contains(code) == domestic) return code;

        var country = CountryCodes.Normalize(destination);
        var serving = domestic ? DomesticCodes : country == "CA" ? CanadaCodes : InternationalCodes;
        var where = domestic ? "within the US and Puerto Rico" : $"to {country} from {CountryCodes.Normalize(string.IsNullOrWhiteSpace(origin) ? "US" : origin)}";
        var what = domestic ? "an international service" : "a US domestic service (US and Puerto Rico only)";
        throw ValueError.Of(ErrorCatalog.ServiceNotOffered,
            $"Service {ValueError.Quote(value)} ({code} {NameOf(code)}) is {what}; UPS offers {where}: {Describe(serving)}.");
    }

    private static bool IsDomesticLane(string? origin, string destination)
    {
        // US and Puerto Rico form one domestic network, as at UPS.
        static string Network(string code) => code is "US" or "PR" ? "US" : code;
        var from = CountryCodes.Normalize(string.IsNullOrWhiteSpace(origin) ? "US" : origin);
        return Network(from) == Network(CountryCodes.Normalize(destination));
    }

    private static string NameOf(string code) => Table.First(t => t.Code == code).Name;

    private static string Describe(IEnumerable<string> codes) => string.Join(", ", codes.Select(c => $"{NameOf(c)} ({c})"));

    // Lower case, no dots or dashes, single spaces, without a leading "ups" or a trailing "shipping", so
    // "UPS 2nd-Day Air" meets "2nd day air" and "Standard Shipping" meets "standard".
    private static string Key(string? value)
    {
        var cleaned = new string((value ?? "").Select(c => c is '.' or '-' or '_' or '®' ? ' ' : char.ToLowerInvariant(c)).ToArray());
        var words = cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (words.Count > 1 && words[0] == "ups") words.RemoveAt(0);
        if (words.Count > 1 && Filler.Contains(words[^1])) words.RemoveAt(words.Count - 1);
        // "a m" comes from "A.M." once dots become spaces.
        var joined = string.Join(' ', words).Replace("a m", "am", StringComparison.Ordinal);
        return joined;
    }

    private static FrozenDictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, _, names) in Table)
        {
            map[code] = code;
            map[code.TrimStart('0')] = code;
            foreach (var name in names) map[Key(name)] = code;
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
