using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>
/// Tool arguments refused by a TypeScript server's zod schema before its tool runs. The TypeScript MCP SDK answers
/// these as a tool result with isError true and the text of its JSON-RPC error, code -32602 (Invalid params):
/// <c>MCP error -32602: Input validation error: Invalid arguments for tool X: [zod issues]</c>.
/// </summary>
public sealed class InputValidationException(string tool, JsonArray issues)
    : Exception($"MCP error -32602: Input validation error: Invalid arguments for tool {tool}: {issues.ToJsonString(Indented)}")
{
    /// <summary>The JSON-RPC code the text carries, for the call log.</summary>
    public const string Code = "-32602";

    // zod formats its issues with JSON.stringify(issues, null, 2).
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
