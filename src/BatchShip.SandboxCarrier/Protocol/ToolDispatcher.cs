using System.Text.Json;
using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>Routes tools/list and tools/call, applies gateway faults and turns failures into UPS-shaped results.</summary>
public sealed class ToolDispatcher(IEnumerable<ISandboxTool> tools, FaultInjector faults, CallLog calls, ILogger<ToolDispatcher> logger)
{
    // Only the imitated server's tools, so two servers' tools of one name never meet.
    private readonly Dictionary<string, ISandboxTool> _tools = tools
        .Where(t => ServerTools.Offers(faults.Plan.Server, t))
        .ToDictionary(t => t.Definition.Name, StringComparer.Ordinal);

    // sequential=on: one call at a time in this process, the rest queued, as a server that blocks inside its tools.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public ListToolsResult List() => new() { Tools = [.. _tools.Values.Select(t => t.Definition)] };

    public async Task<CallToolResult> CallAsync(string name, IReadOnlyDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        if (!_tools.TryGetValue(name, out var tool))
            return ServerTools.IsTypeScript(faults.Plan.Server)
                ? ToolResults.Bare($"MCP error -32602: Tool {name} not found")
                : ToolResults.Text(name, $"Unknown tool: {name}");

        if (!faults.Plan.Sequential) return await DispatchAsync(name, tool, arguments, cancellationToken).ConfigureAwait(false);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DispatchAsync(name, tool, arguments, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<CallToolResult> DispatchAsync(string name, ISandboxTool tool, IReadOnlyDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        try
        {
            using var place = await faults.BeforeAnyToolAsync(cancellationToken).ConfigureAwait(false);
            var body = await tool.InvokeAsync(new ToolArguments(name, arguments), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("{Tool} succeeded", name);
            calls.Append(name, "success", null);
            return ToolResults.Success(body);
        }
        catch (CarrierErrorException e)
        {
            logger.LogInformation("{Tool} refused: HTTP {Status}, UPS {Code}", name, e.Error.StatusCode, e.Error.Errors.FirstOrDefault()?.Code);
            calls.Append(name, "refused", e.Error.Errors.FirstOrDefault()?.Code);
            return ToolResults.Error(name, e.Error, faults.Plan.Server);
        }
        catch (ServerErrorException e)
        {
            logger.LogInformation("{Tool} refused by the server: {Code}", name, e.Payload["code"]?.GetValue<string>());
            calls.Append(name, "refused", e.Payload["code"]?.GetValue<string>());
            return ToolResults.Text(name, e.Payload.ToJsonString(Json.Compact));
        }
        catch (InputValidationException e)
        {
            calls.Append(name, "refused", InputValidationException.Code);
            return ToolResults.Bare(e.Message);
        }
        catch (ArgumentValidationException e)
        {
            calls.Append(name, "refused", "arguments");
            return ToolResults.Text(name, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "{Tool} failed unexpectedly", name);
            calls.Append(name, "error", "500");
            return ToolResults.Error(name, new CarrierError(500, [new UpsErrorEntry("500", "Internal sandbox error: " + e.Message)]));
        }
    }
}
