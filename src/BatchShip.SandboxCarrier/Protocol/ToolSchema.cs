using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>Builds tool definitions with JSON Schema input shapes like FastMCP derives from Python signatures.</summary>
public sealed class ToolSchema(string name, string description)
{
    private readonly JsonObject _properties = [];
    private readonly JsonArray _required = [];

    public ToolSchema Object(string property, string title, bool required = true)
    {
        _properties[property] = new JsonObject { ["type"] = "object", ["additionalProperties"] = true, ["title"] = title };
        if (required) _required.Add(property);
        return this;
    }

    /// <summary>An array of objects (the TypeScript servers' packages).</summary>
    public ToolSchema Array(string property, string title, bool required = true)
    {
        _properties[property] = new JsonObject
        {
            ["type"] = "array",
            ["title"] = title,
            ["items"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
        };
        if (required) _required.Add(property);
        return this;
    }

    public ToolSchema String(string property, string title, string? defaultValue = null, bool required = false, IEnumerable<string>? oneOf = null)
    {
        var schema = new JsonObject { ["type"] = "string", ["title"] = title };
        if (defaultValue is not null) schema["default"] = defaultValue;
        if (oneOf is not null) schema["enum"] = Json.Strings(oneOf);
        _properties[property] = schema;
        if (required) _required.Add(property);
        return this;
    }

    public ToolSchema StringOrList(string property, string title)
    {
        _properties[property] = new JsonObject
        {
            ["title"] = title,
            ["default"] = null,
            ["anyOf"] = new JsonArray(
                new JsonObject { ["type"] = "string" },
                new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                new JsonObject { ["type"] = "null" }),
        };
        return this;
    }

    public Tool Build()
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["title"] = name + "Arguments",
            ["properties"] = _properties,
            ["required"] = _required,
        };
        return new Tool
        {
            Name = name,
            Description = description,
            InputSchema = JsonSerializer.Deserialize<JsonElement>(schema.ToJsonString()),
        };
    }
}
