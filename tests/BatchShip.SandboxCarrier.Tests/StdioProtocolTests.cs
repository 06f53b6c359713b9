using System.Diagnostics;
using System.Text.Json;
using BatchShip.SandboxCarrier.Tests.Infrastructure;

namespace BatchShip.SandboxCarrier.Tests;

/// <summary>Drives the server with hand-written JSON-RPC to check what the client library would hide.</summary>
public sealed class StdioProtocolTests
{
    [Fact]
    public async Task Stdout_carries_only_json_rpc_and_the_server_exits_cleanly_when_stdin_closes()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SandboxPaths.ServerDll);
        start.Environment["BATCHSHIP_SANDBOX_LEDGER"] = Path.Combine(SandboxPaths.NewTempDirectory(), "ledger.jsonl");
        start.Environment["BATCHSHIP_SANDBOX_FAULTS"] = "";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        async Task<JsonDocument> Exchange(string message)
        {
            await process.StandardInput.WriteLineAsync(message);
            await process.StandardInput.FlushAsync();
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            return JsonDocument.Parse(line); // any stray text on stdout fails here
        }

        using var init = await Exchange("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        Assert.Equal("batchship-sandbox-carrier", init.RootElement.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        using var list = await Exchange("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
        Assert.Equal(6, list.RootElement.GetProperty("result").GetProperty("tools").GetArrayLength());

        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Null(await process.StandardOutput.ReadLineAsync(timeout.Token));
        Assert.Contains("serving over stdio", await stderr, StringComparison.Ordinal);
    }
}
