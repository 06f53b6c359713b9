using System.Globalization;
using System.Text.Json;

namespace BatchShip.Engine.Carriers;

/// <summary>Small, tolerant helpers for reading UPS-shaped JSON, where one element may be an object or an array.</summary>
internal static class CarrierJson
{
    /// <summary>The property with the name, matched exactly first and then case-insensitively.</summary>
    public static JsonElement? Prop(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        if (element.TryGetProperty(name, out var exact)) return exact;
        foreach (var p in element.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }

    /// <summary>Follows a path of property names.</summary>
    public static JsonElement? Path(this JsonElement element, params string[] names)
    {
        JsonElement? current = element;
        foreach (var name in names)
        {
            current = current?.Prop(name);
            if (current is null) return null;
        }
        return current;
    }

    /// <summary>The items of an array, or the element itself when UPS sent a bare object for a one-item list.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement? element) => element switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } a => a.EnumerateArray(),
        { ValueKind: JsonValueKind.Object } o => [o],
        _ => [],
    };

    /// <summary>A scalar as text: strings as they are, numbers in their JSON spelling (UPS sends numbers as strings, others may not).</summary>
    public static string? Text(this JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    /// <summary>Money as decimal, read from its text with the invariant culture, never through a binary float.</summary>
    public static decimal ParseMoney(string text) =>
        decimal.Parse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
