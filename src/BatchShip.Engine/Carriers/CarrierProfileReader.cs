using System.Globalization;
using System.Text.Json;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Reads a user's carrier profile file. The shape:
/// <c>{"command": "uvx", "args": ["ups-mcp"], "env": {"CLIENT_SECRET": "$env:UPS_CLIENT_SECRET"},
/// "tools": {"create": "create_shipment", "lookup": "recover_label", "validate": "validate_address", "track": "track_package"}, "timeoutSeconds": 60,
/// "maxMessageMegabytes": 16, "maxLabelMegabytes": 8}</c>.
/// Property names are matched case-insensitively; <c>"lookup": null</c> says the carrier has no lookup tool.
/// </summary>
public static class CarrierProfileReader
{
    /// <summary>Parses a profile's JSON text; every problem is an E-4007 error naming the profile.</summary>
    public static CarrierProfile Read(string name, string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException ex) { throw Fail(name, $"is not valid JSON ({ex.Message})"); }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Fail(name, "must be a JSON object");

            var command = StringOf(name, root, "command");
            if (string.IsNullOrWhiteSpace(command)) throw Fail(name, "needs a \"command\" that starts the carrier's MCP server");

            var profile = new CarrierProfile(name, command);

            if (Find(root, "args") is { } args)
            {
                if (args.ValueKind != JsonValueKind.Array) throw Fail(name, "has \"args\" that is not an array of strings");
                profile = profile with
                {
                    Arguments = args.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String
                        ? a.GetString()!
                        : throw Fail(name, "has \"args\" that is not an array of strings")).ToArray(),
                };
            }

            if (Find(root, "env") is { } env)
            {
                if (env.ValueKind != JsonValueKind.Object) throw Fail(name, "has \"env\" that is not an object of strings");
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var p in env.EnumerateObject())
                    map[p.Name] = p.Value.ValueKind == JsonValueKind.String
                        ? p.Value.GetString()!
                        : throw Fail(name, $"has a non-string value for env {p.Name}");
                CarrierEnvironment.EnsureNoLiteralSecrets(name, map);
                profile = profile with { Environment = map };
            }

            if (Find(root, "tools") is { } tools)
            {
                if (tools.ValueKind != JsonValueKind.Object) throw Fail(name, "has \"tools\" that is not an object");
                if (Find(tools, "create") is { } create)
                    profile = profile with { CreateTool = create.ValueKind == JsonValueKind.String && create.GetString()!.Length > 0
                        ? create.GetString()! : throw Fail(name, "has an empty or non-string tools.create") };
                if (Find(tools, "lookup") is { } lookup)
                    profile = profile with { LookupTool = lookup.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String when lookup.GetString()!.Length > 0 => lookup.GetString(),
                        _ => throw Fail(name, "has a tools.lookup that is neither a tool name nor null"),
                    } };
                if (Find(tools, "validate") is { } validate)
                    profile = profile with { ValidateTool = OptionalTool(name, validate, "validate") };
                if (Find(tools, "track") is { } track)
                    profile = profile with { TrackTool = OptionalTool(name, track, "track") };
            }

            if (Find(root, "timeoutSeconds") is { } timeout)
            {
                if (timeout.ValueKind != JsonValueKind.Number || !timeout.TryGetDecimal(out var seconds) || seconds <= 0 || seconds > 3600)
                    throw Fail(name, "has a timeoutSeconds that is not a number of seconds between 0 and 3600");
                profile = profile with { CallTimeout = TimeSpan.FromMilliseconds((double)(seconds * 1000m)) };
            }

            if (Megabytes(name, root, "maxMessageMegabytes") is { } message) profile = profile with { MaxMessageBytes = message };
            if (Megabytes(name, root, "maxLabelMegabytes") is { } label) profile = profile with { MaxLabelBytes = label };

            if (StringOf(name, root, "workingDirectory") is { Length: > 0 } wd) profile = profile with { WorkingDirectory = wd };

            return profile;
        }
    }

    // A tool the carrier may lack: its name, or null to say the carrier has none.
    private static string? OptionalTool(string name, JsonElement tool, string key) => tool.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String when tool.GetString()!.Length > 0 => tool.GetString(),
        _ => throw Fail(name, $"has a tools.{key} that is neither a tool name nor null"),
    };

    // Limits stay within what one process can hold comfortably: a profile must not be able to switch the bound off.
    private static long? Megabytes(string name, JsonElement root, string property)
    {
        if (Find(root, property) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var megabytes) || megabytes is < 1 or > 1024)
            throw Fail(name, $"has a {property} that is not a whole number of megabytes between 1 and 1024");
        return megabytes * 1024L * 1024L;
    }

    private static string? StringOf(string name, JsonElement obj, string property) => Find(obj, property) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Null } => null,
        _ => throw Fail(name, string.Create(CultureInfo.InvariantCulture, $"has a non-string \"{property}\"")),
    };

    private static JsonElement? Find(JsonElement obj, string property)
    {
        foreach (var p in obj.EnumerateObject())
            if (string.Equals(p.Name, property, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }

    private static BatchShipException Fail(string name, string what) =>
        new(ErrorCatalog.Configuration, $"Carrier profile '{name}' {what}.");
}
