using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>
/// Builds the exceptions the value converters throw. A converter knows the value but not the column it came
/// from nor the row; the template functions add those before the error leaves the template.
/// </summary>
internal static class ValueError
{
    public static BatchShipException Of(ErrorDefinition error, string message) => new(error, message);

    /// <summary>Quotes a value for a message, shortened so one bad cell cannot flood a log.</summary>
    public static string Quote(string? value)
    {
        if (value is null) return "(nothing)";
        var shown = value.Length > 60 ? value[..60] + "…" : value;
        return "'" + shown + "'";
    }
}
