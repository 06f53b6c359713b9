using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>
/// Reads a TypeScript server's friendly arguments the way its zod schema checks them: every issue is collected with
/// its path, in zod's words, and <see cref="ThrowIfInvalid"/> refuses them all at once before the tool runs. Numbers
/// must be JSON numbers: a number written as a string is refused, as zod's z.number() does.
/// </summary>
public sealed class ZodArguments(string tool, JsonObject arguments)
{
    private readonly JsonArray _issues = [];

    /// <summary>The arguments object itself.</summary>
    public JsonObject Root { get; } = arguments;

    /// <summary>A required (or optional) object property.</summary>
    public JsonObject? Object(JsonObject? parent, object[] path, bool required = true) =>
        Typed(parent, path, required, "object") as JsonObject;

    /// <summary>The object at <paramref name="index"/> of an array (a package).</summary>
    public JsonObject? Item(JsonArray array, int index, object[] path)
    {
        var value = array[index];
        var received = KindOf(value, present: true);
        if (value is JsonObject item) return item;
        AddTypeIssue(path, "object", received, $"Expected object, received {received}");
        return null;
    }

    /// <summary>An array property with at least <paramref name="minimum"/> items.</summary>
    public JsonArray? Array(JsonObject? parent, object[] path, int minimum = 0)
    {
        if (Typed(parent, path, required: true, "array") is not JsonArray array) return null;
        if (array.Count < minimum)
            _issues.Add(new JsonObject
            {
                ["code"] = "too_small", ["minimum"] = minimum, ["type"] = "array", ["inclusive"] = true, ["exact"] = false,
                ["message"] = $"Array must contain at least {minimum} element(s)", ["path"] = Path(path),
            });
        return array;
    }

    /// <summary>A string property, or <paramref name="fallback"/> (zod's .default) when it is absent.</summary>
    public string? String(JsonObject? parent, object[] path, bool required = true, string? fallback = null)
    {
        var value = Typed(parent, path, required && fallback is null, "string");
        return value is null ? fallback : value.GetValue<string>();
    }

    /// <summary>A string property that must be one of <paramref name="options"/> (zod's enum), with its default.</summary>
    public string? Enum(JsonObject? parent, object[] path, IReadOnlyList<string> options, string fallback)
    {
        var value = String(parent, path, required: false, fallback);
        if (value is not null && !options.Contains(value, StringComparer.Ordinal))
        {
            _issues.Add(new JsonObject
            {
                ["received"] = value, ["code"] = "invalid_enum_value", ["options"] = Json.Strings(options), ["path"] = Path(path),
                ["message"] = $"Invalid enum value. Expected {string.Join(" | ", options.Select(o => $"'{o}'"))}, received '{value}'",
            });
            return null;
        }
        return value;
    }

    /// <summary>A number property, as its JSON text (UPS wants numbers as strings); <paramref name="positive"/> is
    /// zod's .positive().</summary>
    public string? Number(JsonObject? parent, object[] path, bool required = true, bool positive = false)
    {
        if (Typed(parent, path, required, "number") is not { } value) return null;
        var text = value.ToJsonString();
        if (positive && Json.TryDecimal(text, out var number) && number <= 0m)
            _issues.Add(new JsonObject
            {
                ["code"] = "too_small", ["minimum"] = 0, ["type"] = "number", ["inclusive"] = false, ["exact"] = false,
                ["message"] = "Number must be greater than 0", ["path"] = Path(path),
            });
        return text;
    }

    /// <summary>Refuses the call when any property broke the schema.</summary>
    public void ThrowIfInvalid()
    {
        if (_issues.Count > 0) throw new InputValidationException(tool, _issues);
    }

    private JsonNode? Typed(JsonObject? parent, object[] path, bool required, string expected)
    {
        if (parent is null) return null;
        var name = (string)path[^1];
        var value = parent[name];
        var received = KindOf(value, parent.ContainsKey(name));
        if (received is "undefined")
        {
            if (required) AddTypeIssue(path, expected, received, "Required");
            return null;
        }
        if (received != expected)
        {
            AddTypeIssue(path, expected, received, $"Expected {expected}, received {received}");
            return null;
        }
        return value;
    }

    private void AddTypeIssue(object[] path, string expected, string received, string message) =>
        _issues.Add(new JsonObject
        {
            ["code"] = "invalid_type", ["expected"] = expected, ["received"] = received, ["path"] = Path(path), ["message"] = message,
        });

    // zod names what it got the way JavaScript sees the JSON value.
    private static string KindOf(JsonNode? value, bool present) => value switch
    {
        null => present ? "null" : "undefined",
        JsonObject => "object",
        JsonArray => "array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
    };

    private static JsonArray Path(object[] path) =>
        Json.Array(path.Select(p => p is int i ? JsonValue.Create(i) : (JsonNode?)JsonValue.Create((string)p)));
}
