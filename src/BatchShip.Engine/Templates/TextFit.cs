using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Fitting names and address lines into the carrier's 35-character fields without losing words.</summary>
internal static class TextFit
{
    public const int FieldLength = 35;
    public const int MaxAddressLines = 3;

    /// <summary>
    /// Cuts a text to at most <paramref name="max"/> characters at a word boundary (a single longer word is cut
    /// hard). Whitespace runs, newlines included, become one space first, since a cell may hold several lines.
    /// </summary>
    public static string Truncate(string? value, int max = FieldLength)
    {
        if (max < 1) throw ValueError.Of(ErrorCatalog.BadValue, $"truncate needs a length of at least 1, got {max}.");
        var text = Collapse(value);
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max);
        return (cut > 0 ? text[..cut] : text[..max]).TrimEnd();
    }

    /// <summary>
    /// Lays address parts out on at most three lines of at most 35 characters. A part that is too long keeps what
    /// fits on its own line and pushes the rest, on a word boundary, to the start of the next line, so nothing is
    /// lost. Empty parts are skipped. When the words cannot fit in three lines (or a single word is longer than
    /// 35 characters) this is E-2005.
    /// </summary>
    public static IReadOnlyList<string> AddressLines(IEnumerable<string?> parts)
    {
        var lines = new List<string>();
        var carry = "";
        var original = string.Join(" | ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
        foreach (var part in parts.Append(null))
        {
            var text = Collapse(carry + " " + Collapse(part));
            if (part is null && text.Length == 0) break;
            if (text.Length == 0) continue;
            // The final pass (part is null) drains whatever is still carried.
            do
            {
                var (line, rest) = SplitLine(text, original);
                lines.Add(line);
                text = rest;
            } while (part is null && text.Length > 0);
            carry = part is null ? "" : text;
        }
        if (lines.Count > MaxAddressLines)
            throw ValueError.Of(ErrorCatalog.AddressTooLong,
                $"Address {ValueError.Quote(original)} needs {lines.Count} lines of {FieldLength} characters; UPS takes {MaxAddressLines}. Shorten it.");
        return lines;
    }

    private static (string Line, string Remainder) SplitLine(string text, string original)
    {
        if (text.Length <= FieldLength) return (text, "");
        var cut = text.LastIndexOf(' ', FieldLength);
        if (cut <= 0)
            throw ValueError.Of(ErrorCatalog.AddressTooLong,
                $"Address {ValueError.Quote(original)} has a word longer than {FieldLength} characters; it cannot be split on a word boundary.");
        return (text[..cut], text[(cut + 1)..]);
    }

    private static string Collapse(string? value) =>
        string.Join(' ', (value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
