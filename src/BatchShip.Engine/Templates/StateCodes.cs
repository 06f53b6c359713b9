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
