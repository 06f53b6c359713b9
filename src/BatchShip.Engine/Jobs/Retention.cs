using System.Globalization;
using System.Text.RegularExpressions;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Jobs;

/// <summary>Reads a retention age as an administrator writes it: 90d, 12h, 30m, 45s, or a TimeSpan (90.00:00:00).</summary>
public static partial class Retention
{
    [GeneratedRegex(@"^\s*(?<n>\d+(\.\d+)?)\s*(?<unit>d|h|m|s)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Short();

    /// <summary>The age, or E-1003 naming the forms it takes. A negative age is refused too.</summary>
    public static TimeSpan Parse(string text)
    {
        TimeSpan age;
        if (Short().Match(text) is { Success: true } m)
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            age = m.Groups["unit"].Value.ToLowerInvariant() switch
            {
                "d" => TimeSpan.FromDays(n),
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromSeconds(n),
            };
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out age))
        {
            throw Invalid(text);
        }
        return age < TimeSpan.Zero ? throw Invalid(text) : age;
    }

    private static BatchShipException Invalid(string text) =>
        new(ErrorCatalog.BadValue, $"'{text}' is not an age: write it as 90d, 12h, 30m or 45s, or as a TimeSpan such as 90.00:00:00.", "OlderThan");
}
