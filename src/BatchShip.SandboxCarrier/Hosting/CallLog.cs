using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Protocol;

namespace BatchShip.SandboxCarrier.Hosting;

/// <summary>
/// One JSON line per tool call (tool, outcome, code, and the id of the process that served it) in the file
/// BATCHSHIP_SANDBOX_CALL_LOG names, when it names one. The ledger holds only shipments; this log also shows the calls
/// that were refused, so a test can prove a refused row was sent exactly once, and which server process took each
/// call, so a test can count the processes of a pool.
/// </summary>
public sealed class CallLog(string? path)
{
    public const string Variable = "BATCHSHIP_SANDBOX_CALL_LOG";

    private readonly Lock _lock = new();

    public void Append(string tool, string outcome, string? code)
    {
        if (string.IsNullOrEmpty(path)) return;
        var line = new JsonObject { ["tool"] = tool, ["outcome"] = outcome, ["code"] = code, ["pid"] = Environment.ProcessId }.ToJsonString(Json.Compact);
        lock (_lock) File.AppendAllText(path, line + "\n");
    }
}
