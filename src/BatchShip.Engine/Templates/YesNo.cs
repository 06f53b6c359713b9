using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Spreadsheet truth values: the ways people mark a box as ticked or not.</summary>
internal static class YesNo
{
    private static readonly string[] Yes = ["yes", "y", "true", "t", "1", "x", "on", "✓", "✔"];
    private static readonly string[] No = ["no", "n", "false", "f", "0", "off", ""];

    /// <summary><c>yes</c>, <c>Y</c>, <c>true</c>, <c>1</c>, <c>x</c> → true; <c>no</c>, <c>N</c>, <c>false</c>, <c>0</c>, empty → false; else E-1003.</summary>
    public static bool Parse(string? value)
    {
        var key = (value ?? "").Trim().ToLowerInvariant();
        if (Yes.Contains(key)) return true;
        if (No.Contains(key)) return false;
        throw ValueError.Of(ErrorCatalog.BadValue, $"Value {ValueError.Quote(value)} is not yes or no; use yes/no, Y/N, true/false, 1/0 or x/empty.");
    }
}
