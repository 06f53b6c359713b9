using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>One MCP tool: its advertised definition and its behaviour. Errors are thrown as CarrierErrorException.</summary>
public interface ISandboxTool
{
    Tool Definition { get; }

    Task<JsonNode> InvokeAsync(ToolArguments arguments, CancellationToken cancellationToken);
}
