using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>Tolerant readers for UPS JSON, where numbers travel as strings and lists may be single objects.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>UPS sends a lone object where an array of one would do; callers treat both alike.</summary>
    public static IReadOnlyList<JsonNode?> ObjectOrArray(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array],
        _ => [node],
    };

    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var segment in path)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out current)) return null;
        }
        return current;
    }

    /// <summary>Reads a scalar as text whether it arrived as a JSON string, number or boolean.</summary>
    public static string? Text(JsonNode? node, params string[] path)
    {
        var target = At(node, path);
        if (target is not JsonValue value) return null;
        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    /// <summary>AddressLine may be a string or an array of strings.</summary>
    public static IReadOnlyList<string> TextList(JsonNode? node)
    {
        var result = new List<string>();
        foreach (var item in ObjectOrArray(node))
        {
            var text = Text(item);
            if (text is not null) result.Add(text);
        }
        return result;
    }

    public static bool Has(JsonNode? node, params string[] path)
    {
        if (path.Length == 0) return node is not null;
        var parent = At(node, path[..^1]);
        return parent is JsonObject obj && obj.ContainsKey(path[^1]);
    }

    public static bool TryDecimal(string? text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out value);

    public static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static JsonArray Array(IEnumerable<JsonNode?> items)
    {
        var array = new JsonArray();
        foreach (var item in items) array.Add(item);
        return array;
    }

    public static JsonArray Strings(IEnumerable<string> items) => Array(items.Select(i => (JsonNode?)JsonValue.Create(i)));
}
