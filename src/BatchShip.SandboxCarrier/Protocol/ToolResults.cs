using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Faults;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>Shapes tool results the way the UPS MCP servers do.</summary>
public static class ToolResults
{
    public static CallToolResult Success(JsonNode body) => new()
    {
        Content = [new TextContentBlock { Text = body.ToJsonString(Json.Compact) }],
        IsError = false,
    };

    /// <summary>A UPS refusal in the format of the server the sandbox imitates.</summary>
    public static CallToolResult Error(string tool, CarrierError error, ServerFlavour server) => server switch
    {
        // roscoej/ups-mcp: UPS's messages joined, without the code.
        ServerFlavour.TypeScript => Bare(string.Join("; ", error.Errors.Select(e => e.Message))),
        ServerFlavour.ShipAgent => Bare(new JsonObject
        {
            ["error"] = "UPS API error",
            ["message"] = $"UPS API Error [{error.Errors.FirstOrDefault()?.Code ?? error.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)}]: {error.Message}",
        }.ToJsonString(Json.Compact)),
        _ => Error(tool, error),
    };

    /// <summary>Error executing tool X: {"status_code":…,"code":"…","message":"…","details":{"response":{"errors":[…]}}}</summary>
    public static CallToolResult Error(string tool, CarrierError error)
    {
        var errors = new JsonArray();
        foreach (var e in error.Errors) errors.Add(new JsonObject { ["code"] = e.Code, ["message"] = e.Message });
        var details = new JsonObject { ["response"] = new JsonObject { ["errors"] = errors } };
        // The HTTP header, in whole seconds as HTTP has it, where a client of the server would find the response's headers.
        if (error.RetryAfter is { } after)
            details["headers"] = new JsonObject { ["Retry-After"] = ((int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var payload = new JsonObject
        {
            ["status_code"] = error.StatusCode,
            ["code"] = error.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["message"] = error.Message,
            ["details"] = details,
        };
        return Text(tool, payload.ToJsonString(Json.Compact));
    }

    /// <summary>The TypeScript servers send their error text as it is, without the Python servers' prefix.</summary>
    public static CallToolResult Bare(string text) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        IsError = true,
    };

    public static CallToolResult Text(string tool, string message) => new()
    {
        Content = [new TextContentBlock { Text = $"Error executing tool {tool}: {message}" }],
        IsError = true,
    };
}
