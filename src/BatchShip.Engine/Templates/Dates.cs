using System.Globalization;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Dates in the forms spreadsheets produce, written as UPS wants them (YYYYMMDD).</summary>
internal static class Dates
{
    // Slash dates are read month first (US usage), the convention of the spreadsheets this module targets.
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd", "yyyy.MM.dd", "M/d/yyyy", "M/d/yy", "M-d-yyyy",
        "d MMM yyyy", "d MMMM yyyy", "MMM d yyyy", "MMMM d yyyy", "MMM d, yyyy", "MMMM d, yyyy", "d-MMM-yyyy", "d-MMM-yy",
        "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
        "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "M/d/yyyy h:mm tt", "M/d/yyyy h:mm:ss tt",
    ];

    /// <summary><c>2024-03-05</c>, <c>3/5/2024</c>, <c>5 Mar 2024</c>, <c>20240305</c> → <c>20240305</c>. Empty stays empty; else E-1003.</summary>
    public static string ToYyyyMmDd(string? value)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0) return "";
        if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeLocal, out var date))
            return date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        throw ValueError.Of(ErrorCatalog.BadValue,
            $"Date {ValueError.Quote(value)} is not a date this module reads; use 2024-03-05, 3/5/2024 (month first) or 5 Mar 2024.");
    }
}
