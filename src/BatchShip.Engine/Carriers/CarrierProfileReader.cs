using System.Globalization;
using System.Text.Json;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Reads a carrier profile: a user's file, or one built into the module. The shape:
/// <code>
/// { "command": "uvx", "args": ["ups-mcp"], "env": {"CLIENT_SECRET": "$env:UPS_CLIENT_SECRET"}, "workingDirectory": "...",
///   "tools": {"create": "create_shipment", "lookup": "recover_label", "void": "void_shipment", "rate": "rate_shipment",
///             "validate": "validate_address", "track": "track_package"},
///   "response": "ups" | "shipagent", "errors": "matt-hans" | "typescript" | "shipagent",
///   "maxConcurrentCalls": 1, "timeoutSeconds": 60, "startTimeoutSeconds": 60,
///   "maxMessageMegabytes": 16, "maxLabelMegabytes": 8 }
/// </code>
/// Property names are matched case-insensitively; a tool set to <c>null</c> says the server has no such tool (a
/// profile without a create tool can validate or track, not ship). <c>"url"</c> (Streamable HTTP) is refused: only
/// servers started over stdio are supported.
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

            // Streamable HTTP would need its own transport (headers, reconnects, no stderr to quote): not built yet.
            if (Find(root, "url") is { ValueKind: not JsonValueKind.Null })
                throw Fail(name, "has a \"url\": only servers started over stdio (\"command\") are supported; start the server's stdio form instead");

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
                foreach (var p in tools.EnumerateObject())
                {
                    var tool = p.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String when p.Value.GetString()!.Trim().Length > 0 => p.Value.GetString()!.Trim(),
                        _ => throw Fail(name, $"has a tools.{p.Name} that is neither a tool name nor null"),
                    };
                    profile = p.Name.ToLowerInvariant() switch
                    {
                        "create" => profile with { CreateTool = tool },
                        "lookup" => profile with { LookupTool = tool },
                        "void" => profile with { VoidTool = tool },
                        "rate" => profile with { RateTool = tool },
                        "validate" => profile with { ValidateTool = tool },
                        "track" => profile with { TrackTool = tool },
                        _ => throw Fail(name, $"has an unknown tool kind tools.{p.Name} (known: create, lookup, void, rate, validate, track)"),
                    };
                }
            }

            if (StringOf(name, root, "response") is { } response)
                profile = profile with { Response = response.Trim().ToLowerInvariant() switch
                {
                    "ups" => CarrierResponseFormat.Ups,
                    "shipagent" => CarrierResponseFormat.ShipAgent,
                    _ => throw Fail(name, $"has a response \"{response}\" that is neither \"ups\" nor \"shipagent\""),
                } };

            if (StringOf(name, root, "errors") is { } errors)
                profile = profile with { Errors = errors.Trim().ToLowerInvariant() switch
                {
                    "matt-hans" => CarrierErrorFormat.MattHans,
                    "typescript" => CarrierErrorFormat.TypeScript,
                    "shipagent" => CarrierErrorFormat.ShipAgent,
                    _ => throw Fail(name, $"has errors \"{errors}\" that are none of \"matt-hans\", \"typescript\", \"shipagent\""),
                } };

            if (Find(root, "maxConcurrentCalls") is { } concurrent && concurrent.ValueKind != JsonValueKind.Null)
            {
                if (concurrent.ValueKind != JsonValueKind.Number || !concurrent.TryGetInt32(out var calls) || calls is < 1 or > 64)
                    throw Fail(name, "has a maxConcurrentCalls that is not a whole number from 1 to 64");
                profile = profile with { MaxConcurrentCalls = calls };
            }

            if (Seconds(name, root, "timeoutSeconds") is { } timeout) profile = profile with { CallTimeout = timeout };
            if (Seconds(name, root, "startTimeoutSeconds") is { } start) profile = profile with { StartTimeout = start };

            if (Megabytes(name, root, "maxMessageMegabytes") is { } message) profile = profile with { MaxMessageBytes = message };
            if (Megabytes(name, root, "maxLabelMegabytes") is { } label) profile = profile with { MaxLabelBytes = label };

            if (StringOf(name, root, "workingDirectory") is { Length: > 0 } wd) profile = profile with { WorkingDirectory = wd };

            return profile;
        }
    }

    private static TimeSpan? Seconds(string name, JsonElement root, string property)
    {
        if (Find(root, property) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var seconds) || seconds <= 0 || seconds > 3600)
            throw Fail(name, $"has a {property} that is not a number of seconds between 0 and 3600");
        return TimeSpan.FromMilliseconds((double)(seconds * 1000m));
    }

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
