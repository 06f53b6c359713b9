using System.Text.Json;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>
/// Holds a template to -LabelFormat: when the user asked for a format, every rendered request must ask the carrier for
/// it (LabelSpecification.LabelImageFormat.Code). A template with a hand-written format would otherwise buy labels the
/// user cannot print, and the job would claim a format its labels do not have.
/// </summary>
internal static class LabelFormatCheck
{
    /// <summary>The formats -LabelFormat takes: the ones a 4x6 print file can hold.</summary>
    public static readonly IReadOnlyList<string> Formats = ["GIF", "PNG", "PDF", "ZPL"];

    /// <summary>Throws E-2014 unless the request asks for <paramref name="format"/> (nothing to check when it is null).</summary>
    public static void Ensure(JsonElement request, string? format, string templateName, long rowNumber)
    {
        if (string.IsNullOrWhiteSpace(format)) return;
        var asked = FindCode(request);
        if (asked is not null && string.Equals(asked.Trim(), format.Trim(), StringComparison.OrdinalIgnoreCase)) return;
        var what = asked is null ? "names no label format" : $"asks for {asked} labels";
        throw new BatchShipException(ErrorCatalog.LabelFormatIgnored,
            $"Template '{templateName}' {what} although -LabelFormat is {format.Trim().ToUpperInvariant()}; nothing was sent.",
            "LabelFormat", rowNumber);
    }

    private static string? FindCode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("LabelImageFormat") && property.Value.ValueKind == JsonValueKind.Object
                        && property.Value.TryGetProperty("Code", out var code) && code.ValueKind == JsonValueKind.String)
                        return code.GetString();
                    if (FindCode(property.Value) is { } found) return found;
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (FindCode(item) is { } found) return found;
                break;
        }
        return null;
    }
}
