using System.Collections.Frozen;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>US states, territories, military regions and Canadian provinces: names and codes to the two-letter code.</summary>
internal static class StateCodes
{
    private static readonly (string Code, string Name)[] Table =
    [
        ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
        ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"), ("FL", "Florida"),
        ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"),
        ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
        ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"), ("MO", "Missouri"),
        ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"),
        ("NM", "New Mexico"), ("NY", "New York"), ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"),
        ("OK", "Oklahoma"), ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
        ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"),
        ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
        ("PR", "Puerto Rico"), ("GU", "Guam"), ("VI", "Virgin Islands"), ("AS", "American Samoa"),
        ("MP", "Northern Mariana Islands"), ("AA", "Armed Forces Americas"), ("AE", "Armed Forces Europe"),
        ("AP", "Armed Forces Pacific"),
        ("AB", "Alberta"), ("BC", "British Columbia"), ("MB", "Manitoba"), ("NB", "New Brunswick"),
        ("NL", "Newfoundland and Labrador"), ("NS", "Nova Scotia"), ("NT", "Northwest Territories"), ("NU", "Nunavut"),
        ("ON", "Ontario"), ("PE", "Prince Edward Island"), ("QC", "Quebec"), ("SK", "Saskatchewan"), ("YT", "Yukon"),
    ];

    // Other spellings seen in real address books.
    private static readonly (string Code, string Name)[] Aliases =
    [
        ("DC", "Washington DC"), ("DC", "Washington D.C."), ("NL", "Newfoundland"), ("QC", "Québec"),
        ("YT", "Yukon Territory"), ("VI", "US Virgin Islands"), ("VI", "U.S. Virgin Islands"),
    ];

    // The first three digits of the ZIP codes of each US state, territory and military region (USPS sectional centres).
    // Coarse on purpose: enough to catch a ZIP code typed against the wrong state before the carrier refuses it.
    private static readonly FrozenDictionary<string, (int From, int To)[]> ZipPrefixes = new Dictionary<string, (int From, int To)[]>
    {
        ["AL"] = [(350, 369)], ["AK"] = [(995, 999)], ["AZ"] = [(850, 865)], ["AR"] = [(716, 729), (755, 755)],
        ["CA"] = [(900, 961)], ["CO"] = [(800, 816)], ["CT"] = [(60, 69)], ["DE"] = [(197, 199)],
        ["DC"] = [(200, 200), (202, 205), (569, 569)], ["FL"] = [(320, 349)], ["GA"] = [(300, 319), (398, 399)],
        ["HI"] = [(967, 968)], ["ID"] = [(832, 838)], ["IL"] = [(600, 629)], ["IN"] = [(460, 479)],
        ["IA"] = [(500, 528)], ["KS"] = [(660, 679)], ["KY"] = [(400, 427)], ["LA"] = [(700, 714)],
        ["ME"] = [(39, 49)], ["MD"] = [(206, 219)], ["MA"] = [(10, 27), (55, 55)], ["MI"] = [(480, 499)],
        ["MN"] = [(550, 567)], ["MS"] = [(386, 397)], ["MO"] = [(630, 658)], ["MT"] = [(590, 599)],
        ["NE"] = [(680, 693)], ["NV"] = [(889, 898)], ["NH"] = [(30, 38)], ["NJ"] = [(70, 89)],
        ["NM"] = [(870, 884)], ["NY"] = [(100, 149), (5, 5)], ["NC"] = [(270, 289)], ["ND"] = [(580, 588)],
        ["OH"] = [(430, 459)], ["OK"] = [(730, 749)], ["OR"] = [(970, 979)], ["PA"] = [(150, 196)],
        ["RI"] = [(28, 29)], ["SC"] = [(290, 299)], ["SD"] = [(570, 577)], ["TN"] = [(370, 385)],
        ["TX"] = [(750, 799), (885, 885)], ["UT"] = [(840, 847)], ["VT"] = [(50, 54), (56, 59)],
        ["VA"] = [(201, 201), (220, 246)], ["WA"] = [(980, 994)], ["WV"] = [(247, 268)], ["WI"] = [(530, 549)],
        ["WY"] = [(820, 831)], ["PR"] = [(6, 7), (9, 9)], ["VI"] = [(8, 8)], ["GU"] = [(969, 969)],
        ["AA"] = [(340, 340)], ["AE"] = [(90, 98)], ["AP"] = [(962, 966)],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>True when a normalized US ZIP code (<c>02134</c> or <c>02134-1234</c>) can belong to a two-letter state
    /// code; also true for a code without known ZIP ranges (a Canadian province), which is not checked.</summary>
    public static bool ZipBelongsTo(string zip, string stateCode)
    {
        if (!ZipPrefixes.TryGetValue(stateCode, out var ranges)) return true;
        var prefix = int.Parse(zip.AsSpan(0, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        return ranges.Any(r => prefix >= r.From && prefix <= r.To);
    }

    /// <summary>The state whose ZIP codes start like this normalized ZIP code, or null.</summary>
    public static string? StateOfZip(string zip)
    {
        var prefix = int.Parse(zip.AsSpan(0, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        return ZipPrefixes.Where(p => p.Value.Any(r => prefix >= r.From && prefix <= r.To)).Select(p => p.Key).Order(StringComparer.Ordinal).FirstOrDefault();
    }

    private static readonly FrozenDictionary<string, string> ByKey = Build();

    /// <summary>
    /// For the US and Canada (or no country): a name in any case or a code becomes the two-letter code; anything
    /// else is E-2002. For other countries the value passes through trimmed and upper-cased. Empty stays empty.
    /// </summary>
    public static string Normalize(string? value, string? country = "US")
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0) return "";
        var checkedCountry = string.IsNullOrWhiteSpace(country) || CountryCodes.IsUnitedStates(country) || IsCanada(country);
        if (!checkedCountry) return text.ToUpperInvariant();
        return ByKey.TryGetValue(Key(text), out var code)
            ? code
            : throw ValueError.Of(ErrorCatalog.State,
                $"State {ValueError.Quote(value)} is not a US state or Canadian province; give its two-letter code (e.g. NY, ON) or full name.");
    }

    private static bool IsCanada(string country)
    {
        try { return CountryCodes.Normalize(country) == "CA"; }
        catch (Errors.BatchShipException) { return false; }
    }

    private static string Key(string value)
    {
        var chars = value.Where(c => c != '.').Select(char.ToUpperInvariant).ToArray();
        return string.Join(' ', new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static FrozenDictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, name) in Table.Concat(Aliases))
        {
            map[code] = code;
            map[Key(name)] = code;
        }
        map["PQ"] = "QC"; // the old abbreviation for Quebec, still common
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
