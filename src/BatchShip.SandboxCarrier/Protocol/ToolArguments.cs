using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>Typed access to a tools/call "arguments" object.</summary>
public sealed class ToolArguments(string tool, IReadOnlyDictionary<string, JsonElement>? values)
{
    private readonly IReadOnlyDictionary<string, JsonElement> _values = values ?? new Dictionary<string, JsonElement>();

    /// <summary>All the arguments as one JSON object, for servers whose arguments are a flat, friendly shape.</summary>
    public JsonObject AsObject()
    {
        var all = new JsonObject();
        foreach (var (name, value) in _values) all[name] = JsonNode.Parse(value.GetRawText());
        return all;
    }

    /// <summary>A JSON object argument. A string holding a JSON object is accepted too, since some clients stringify.</summary>
    public JsonObject RequiredObject(string name)
    {
        if (!_values.TryGetValue(name, out var element) || element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            throw new ArgumentValidationException(tool, name, "Field required", "missing");
        if (element.ValueKind == JsonValueKind.Object) return JsonNode.Parse(element.GetRawText())!.AsObject();
        if (element.ValueKind == JsonValueKind.String)
        {
            try
            {
                if (JsonNode.Parse(element.GetString()!) is JsonObject parsed) return parsed;
            }
            catch (JsonException)
            {
                // fall through to the type error below
            }
        }
        throw new ArgumentValidationException(tool, name, "Input should be a valid dictionary", "dict_type");
    }

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw new ArgumentValidationException(tool, name, "Field required", "missing");

    public string? OptionalString(string name)
    {
        if (!_values.TryGetValue(name, out var element)) return null;
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => throw new ArgumentValidationException(tool, name, "Input should be a valid string", "string_type"),
        };
    }

    /// <summary>A string or a list of strings (void_shipment's trackingnumber).</summary>
    public IReadOnlyList<string> OptionalStringList(string name)
    {
        if (!_values.TryGetValue(name, out var element)) return [];
        return element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => [],
            JsonValueKind.String => string.IsNullOrEmpty(element.GetString()) ? [] : [element.GetString()!],
            JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                element.EnumerateArray().Select(e => e.GetString()!).ToList(),
            _ => throw new ArgumentValidationException(tool, name, "Input should be a valid string or list of strings", "union_type"),
        };
    }
}
