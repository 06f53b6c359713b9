using System.Globalization;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Package weights in any common unit, converted to pounds as UPS expects them.</summary>
internal static class Weights
{
    private const decimal PoundsPerKilogram = 2.20462262185m;
    private const decimal Minimum = 0.1m;

    private static readonly (string[] Units, decimal ToPounds)[] Units =
    [
        (["", "lb", "lbs", "pound", "pounds", "#"], 1m),
        (["oz", "ounce", "ounces"], 1m / 16m),
        (["kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"], PoundsPerKilogram),
        (["g", "gr", "gram", "grams"], PoundsPerKilogram / 1000m),
    ];

    /// <summary>
    /// <c>2.5</c>, <c>2.5 lb</c>, <c>500 g</c>, <c>3kg</c>, <c>12 oz</c> → pounds with one decimal, rounded up (a
    /// declared weight below the real one earns a carrier adjustment), at least 0.1. The number is read with the
    /// invariant culture; a decimal comma (<c>2,5</c>) is refused rather than read as 25.
    /// </summary>
    public static string ToPounds(string? value)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0)
            throw ValueError.Of(ErrorCatalog.Weight, "Weight is empty; give the package weight, e.g. 2.5 or 500 g.");

        var split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] is '.' or ',' or '-' or '+')) split++;
        var number = text[..split];
        var unit = text[split..].Trim().ToLowerInvariant();

        if (number.Contains(','))
            throw ValueError.Of(ErrorCatalog.Weight,
                $"Weight {ValueError.Quote(value)} has a comma; write the decimal with a point (2.5) and no thousands separator.");
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
            throw ValueError.Of(ErrorCatalog.Weight, $"Weight {ValueError.Quote(value)} is not a number with an optional unit (lb, oz, kg, g).");

        var factor = Units.FirstOrDefault(u => u.Units.Contains(unit)).ToPounds;
        if (factor == 0m)
            throw ValueError.Of(ErrorCatalog.Weight, $"Weight {ValueError.Quote(value)} has an unknown unit '{unit}'; use lb, oz, kg or g.");
        if (amount <= 0m)
            throw ValueError.Of(ErrorCatalog.Weight, $"Weight {ValueError.Quote(value)} must be above zero.");

        decimal pounds;
        try
        {
            pounds = Math.Max(Minimum, Math.Ceiling(amount * factor * 10m) / 10m);
        }
        catch (OverflowException)
        {
            // decimal.TryParse takes up to 79228162514264337593543950335; converting it to tenths of a pound does not fit.
            throw ValueError.Of(ErrorCatalog.Weight, $"Weight {ValueError.Quote(value)} is far too large; give the package weight, e.g. 2.5 or 500 g.");
        }
        return pounds.ToString("0.0", CultureInfo.InvariantCulture);
    }
}
