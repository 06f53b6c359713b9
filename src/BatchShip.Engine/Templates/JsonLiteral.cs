using System.Globalization;
using System.Text.RegularExpressions;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>
/// A JSON number or boolean, checked when it was made: the one kind of value the template context writes outside a
/// string literal. Only <see cref="Number"/> and <see cref="Boolean"/> make one, and Scriban cannot build one from
/// text (any operation on it yields a plain string), so no cell can reach the output unquoted except as a number or
/// a boolean.
/// </summary>
internal sealed partial class JsonLiteral
{
    private JsonLiteral(string text) => Text = text;

    /// <summary>The literal as it is written: digits, sign, point and exponent, or true/false.</summary>
    public string Text { get; }

    public override string ToString() => Text;

    /// <summary>A number from a template value (text such as "2.5" or a Scriban number); anything else is E-2016.</summary>
    public static JsonLiteral Number(object? value)
    {
        switch (value)
        {
            case int or long or short or byte or sbyte or uint or ulong or ushort:
                return new JsonLiteral(Convert.ToString(value, CultureInfo.InvariantCulture)!);
            case decimal d:
                return new JsonLiteral(d.ToString(CultureInfo.InvariantCulture));
            case double or float:
                var real = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsFinite(real)) throw NotANumber(value);
                return new JsonLiteral(real.ToString("R", CultureInfo.InvariantCulture));
            case string text:
                var trimmed = text.Trim();
                // The JSON grammar exactly, and within decimal's range so the number means what it says.
                if (!JsonNumber().IsMatch(trimmed)
                    || !decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                        CultureInfo.InvariantCulture, out _))
                    throw NotANumber(text);
                return new JsonLiteral(trimmed);
            default:
                throw NotANumber(value);
        }
    }

    /// <summary>A boolean from a Scriban boolean (e.g. <c>yesno</c>'s result) or the text true/false; anything else is E-2016.</summary>
    public static JsonLiteral Boolean(object? value) => value switch
    {
        bool b => new JsonLiteral(b ? "true" : "false"),
        string s when s.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) => new JsonLiteral("true"),
        string s when s.Trim().Equals("false", StringComparison.OrdinalIgnoreCase) => new JsonLiteral("false"),
        _ => throw new BatchShipException(ErrorCatalog.NotANumber,
            $"{ValueError.Quote(value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture))} is not true or false."),
    };

    private static BatchShipException NotANumber(object? value) =>
        new(ErrorCatalog.NotANumber,
            $"{ValueError.Quote(value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture))} is not a number (write it as digits with a point for decimals, e.g. 2.5).");

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
