namespace BatchShip.SandboxCarrier.Validation;

/// <summary>
/// Three-digit ZIP prefixes per US state or territory (USPS sectional centers). Coarse on purpose:
/// good enough to catch a postal code typed against the wrong state.
/// </summary>
public static class UsZipRanges
{
    private static readonly Dictionary<string, (int From, int To)[]> Ranges = new(StringComparer.OrdinalIgnoreCase)
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
    };

    public static bool IsKnownState(string? state) => state is not null && Ranges.ContainsKey(state);

    public static bool IsWellFormed(string? postalCode) => TryPrefix(postalCode, out _);

    /// <summary>Accepts 12345, 123451234 and 12345-1234.</summary>
    public static bool TryPrefix(string? postalCode, out int prefix)
    {
        prefix = 0;
        if (postalCode is null) return false;
        var trimmed = postalCode.Trim();
        var valid = trimmed.Length switch
        {
            5 or 9 => trimmed.All(char.IsAsciiDigit),
            10 => trimmed[5] == '-' && trimmed[..5].All(char.IsAsciiDigit) && trimmed[6..].All(char.IsAsciiDigit),
            _ => false,
        };
        if (!valid) return false;
        prefix = int.Parse(trimmed[..3], System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }

    public static bool Belongs(string state, string postalCode) =>
        TryPrefix(postalCode, out var prefix)
        && Ranges.TryGetValue(state, out var ranges)
        && ranges.Any(r => prefix >= r.From && prefix <= r.To);

    public static string? StateOf(string postalCode)
    {
        if (!TryPrefix(postalCode, out var prefix)) return null;
        foreach (var (state, ranges) in Ranges)
        {
            if (ranges.Any(r => prefix >= r.From && prefix <= r.To)) return state;
        }
        return null;
    }

    /// <summary>A representative ZIP for a state, used to offer a candidate when the given one does not fit.</summary>
    public static string? FirstZipOf(string state) =>
        Ranges.TryGetValue(state, out var ranges) ? (ranges[0].From * 100 + 1).ToString("D5", System.Globalization.CultureInfo.InvariantCulture) : null;
}
