using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchShip.Engine.Audit;

/// <summary>
/// Serializes audit details with secrets removed. Keys are matched by exact name (case-insensitive),
/// not by substring, so a column called "Keyboard" survives and "CLIENT_SECRET" never gets through.
/// </summary>
public static class AuditRedactor
{
    /// <summary>The exact key names whose values are never written.</summary>
    public static IReadOnlySet<string> SecretKeys { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "CLIENT_SECRET", "CLIENT_ID", "UPS_CLIENT_SECRET", "UPS_CLIENT_ID", "ClientSecret", "ClientId",
        "Password", "AccessToken", "access_token", "RefreshToken", "refresh_token", "Authorization",
        "ApiKey", "api_key", "Token", "Secret",
    };

    public const string Mask = "***";

    /// <summary>The detail as JSON, every secret key's value replaced by <see cref="Mask"/>.</summary>
    public static string Serialize(object detail)
    {
        var node = JsonSerializer.SerializeToNode(detail);
        Redact(node);
        return node?.ToJsonString() ?? "null";
    }

    private static void Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (SecretKeys.Contains(key)) obj[key] = Mask;
                    else Redact(obj[key]);
                }
                break;
            case JsonArray array:
                foreach (var item in array) Redact(item);
                break;
        }
    }
}
