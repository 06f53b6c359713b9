using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tests.Infrastructure;

/// <summary>A tool result parsed the way a client of the Python UPS MCP servers parses it.</summary>
public sealed record ToolReply(bool IsError, string Text, JsonNode? Body)
{
    public static ToolReply From(string tool, CallToolResult result)
    {
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        if (result.IsError != true) return new ToolReply(false, text, JsonNode.Parse(text));
        var prefix = $"Error executing tool {tool}: ";
        Assert.StartsWith(prefix, text, StringComparison.Ordinal);
        var rest = text[prefix.Length..];
        return new ToolReply(true, text, rest.StartsWith('{') ? JsonNode.Parse(rest) : null);
    }

    public int StatusCode => Body!["status_code"]!.GetValue<int>();

    public string HttpCode => Body!["code"]!.GetValue<string>();

    public string UpsCode => Body!["details"]!["response"]!["errors"]![0]!["code"]!.GetValue<string>();

    public IEnumerable<string> UpsCodes => Body!["details"]!["response"]!["errors"]!.AsArray().Select(e => e!["code"]!.GetValue<string>());

    public JsonNode Ok
    {
        get
        {
            Assert.False(IsError, Text);
            return Body!;
        }
    }

    public void AssertRefused(int status, string upsCode)
    {
        Assert.True(IsError, "expected an error but the call succeeded: " + Text[..Math.Min(300, Text.Length)]);
        Assert.Equal(status, StatusCode);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), HttpCode);
        Assert.Equal(upsCode, UpsCode);
    }
}
