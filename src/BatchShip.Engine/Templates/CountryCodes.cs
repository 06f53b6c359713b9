using System.Collections.Frozen;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Country names and codes as people type them, mapped to the ISO 3166 two-letter codes UPS expects.</summary>
internal static class CountryCodes
{
    // Code, then the names and ISO 3166 alpha-3 code people write for it. Keys are compared after Key() below.
    private static readonly (string Code, string[] Names)[] Table =
    [
        ("US", ["USA", "United States", "United States of America", "America", "U.S.", "U.S.A.", "US of A"]),
        ("CA", ["CAN", "Canada"]),
        ("MX", ["MEX", "Mexico", "México"]),
        ("GB", ["GBR", "United Kingdom", "UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"]),
        ("IE", ["IRL", "Ireland"]),
        ("FR", ["FRA", "France"]),
        ("DE", ["DEU", "Germany", "Deutschland"]),
        ("NL", ["NLD", "Netherlands", "Holland", "The Netherlands"]),
        ("BE", ["BEL", "Belgium"]),
        ("LU", ["LUX", "Luxembourg"]),
        ("CH", ["CHE", "Switzerland"]),
        ("AT", ["AUT", "Austria"]),
        ("IT", ["ITA", "Italy"]),
        ("ES", ["ESP", "Spain", "España"]),
        ("PT", ["PRT", "Portugal"]),
        ("DK", ["DNK", "Denmark"]),
        ("SE", ["SWE", "Sweden"]),
        ("NO", ["NOR", "Norway"]),
        ("FI", ["FIN", "Finland"]),
        ("IS", ["ISL", "Iceland"]),
        ("PL", ["POL", "Poland"]),
        ("CZ", ["CZE", "Czech Republic", "Czechia"]),
        ("SK", ["SVK", "Slovakia"]),
        ("HU", ["HUN", "Hungary"]),
        ("RO", ["ROU", "Romania"]),
        ("BG", ["BGR", "Bulgaria"]),
        ("GR", ["GRC", "Greece"]),
        ("HR", ["HRV", "Croatia"]),
        ("SI", ["SVN", "Slovenia"]),
        ("EE", ["EST", "Estonia"]),
        ("LV", ["LVA", "Latvia"]),
        ("LT", ["LTU", "Lithuania"]),
        ("TR", ["TUR", "Turkey", "Türkiye", "Turkiye"]),
        ("IL", ["ISR", "Israel"]),
        ("AE", ["ARE", "United Arab Emirates", "UAE", "U.A.E."]),
        ("SA", ["SAU", "Saudi Arabia"]),
        ("IN", ["IND", "India"]),
        ("CN", ["CHN", "China", "People's Republic of China", "PRC"]),
        ("HK", ["HKG", "Hong Kong"]),
        ("TW", ["TWN", "Taiwan"]),
        ("JP", ["JPN", "Japan"]),
        ("KR", ["KOR", "South Korea", "Korea", "Republic of Korea"]),
        ("SG", ["SGP", "Singapore"]),
        ("MY", ["MYS", "Malaysia"]),
        ("TH", ["THA", "Thailand"]),
        ("VN", ["VNM", "Vietnam", "Viet Nam"]),
        ("PH", ["PHL", "Philippines"]),
        ("ID", ["IDN", "Indonesia"]),
        ("AU", ["AUS", "Australia"]),
        ("NZ", ["NZL", "New Zealand"]),
        ("BR", ["BRA", "Brazil", "Brasil"]),
        ("AR", ["ARG", "Argentina"]),
        ("CL", ["CHL", "Chile"]),
        ("CO", ["COL", "Colombia"]),
        ("PE", ["PER", "Peru"]),
        ("CR", ["CRI", "Costa Rica"]),
        ("PA", ["PAN", "Panama"]),
        ("DO", ["DOM", "Dominican Republic"]),
        ("JM", ["JAM", "Jamaica"]),
        ("BS", ["BHS", "Bahamas", "The Bahamas"]),
        ("ZA", ["ZAF", "South Africa"]),
        ("EG", ["EGY", "Egypt"]),
        ("NG", ["NGA", "Nigeria"]),
        ("KE", ["KEN", "Kenya"]),
        ("MA", ["MAR", "Morocco"]),
        // US territories ship as their own countries in UPS.
        ("PR", ["PRI", "Puerto Rico"]),
        ("GU", ["GUM", "Guam"]),
        ("VI", ["VIR", "US Virgin Islands", "U.S. Virgin Islands", "Virgin Islands"]),
    ];

    private static readonly FrozenDictionary<string, string> ByKey = Build();

    /// <summary>Returns the two-letter code, or throws E-1003 naming the value.</summary>
    public static string Normalize(string? value)
    {
        var key = Key(value);
        if (key.Length == 0)
            throw ValueError.Of(ErrorCatalog.BadValue, "Country is empty; give a country name or its two-letter code (US, CA, ...).");
        return ByKey.TryGetValue(key, out var code)
            ? code
            : throw ValueError.Of(ErrorCatalog.BadValue,
                $"Country {ValueError.Quote(value)} is not known; give its two-letter ISO code (e.g. US, CA, GB, DE).");
    }

    /// <summary>True for the ways of writing the United States.</summary>
    public static bool IsUnitedStates(string? value) => ByKey.TryGetValue(Key(value), out var code) && code == "US";

    // Upper case, no dots or apostrophes, single spaces, so "u.s.a." and "U S A" meet "USA".
    private static string Key(string? value)
    {
        var chars = (value ?? "").Where(c => c is not '.' and not '\'').Select(char.ToUpperInvariant);
        return string.Join(' ', new string(chars.ToArray()).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static FrozenDictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, names) in Table)
        {
            map[code] = code;
            foreach (var name in names) map[Key(name)] = code;
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
