using System.Globalization;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Package dimensions in inches, as UPS expects them for US shipments.</summary>
internal static class Dimensions
{
    /// <summary>
    /// <c>12</c>, <c>12 in</c>, <c>12"</c>, <c>30 cm</c> → inches with one decimal, rounded up. Empty stays empty
    /// (dimensions are optional). Invariant culture: a decimal comma is refused.
    /// </summary>
    public static string ToInches(string? value)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0) return "";
        var split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] is '.' or ',')) split++;
        var number = text[..split];
        var unit = text[split..].Trim().ToLowerInvariant();
        if (number.Contains(','))
            throw ValueError.Of(ErrorCatalog.Package, $"Dimension {ValueError.Quote(value)} has a comma; write the decimal with a point (12.5).");
        decimal factor = unit switch
        {
            "" or "in" or "inch" or "inches" or "\"" => 1m,
            "cm" => 1m / 2.54m,
            "mm" => 1m / 25.4m,
            _ => 0m,
        };
        if (factor == 0m || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0m)
            throw ValueError.Of(ErrorCatalog.Package, $"Dimension {ValueError.Quote(value)} is not a length above zero in inches (or cm, mm).");
        try
        {
            return (Math.Ceiling(amount * factor * 10m) / 10m).ToString("0.0", CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            // A number near decimal's maximum parses, but not its tenths of an inch.
            throw ValueError.Of(ErrorCatalog.Package, $"Dimension {ValueError.Quote(value)} is far too large; give a length in inches (or cm, mm).");
        }
    }
}
