using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;
using BatchShip.SandboxCarrier.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Hosting;

/// <summary>Runs the MCP server over stdio until stdin closes. stdout carries JSON-RPC only.</summary>
public static class SandboxServer
{
    public static async Task<int> RunAsync(FaultPlan plan, int? seed, string ledgerPath)
    {
        var ledger = new ShipmentLedger(ledgerPath);
        try
        {
            ledger.EnsureWritable();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Like a real server with a bad configuration: say why on stderr and exit before serving.
            await Console.Error.WriteLineAsync($"BatchShip.SandboxCarrier: cannot record shipments in the ledger {ledger.Path}: {e.Message}").ConfigureAwait(false);
            return 3;
        }

        // The empty builder skips configuration files and default log providers: faster start-up,
        // and no provider can write to stdout by accident.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        // Library chatter (per-request traces, host banners) would drown the sandbox's own lines.
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(ledger);
        // rate_cap is the account's: its bucket sits beside the ledger, which every process of that account shares.
        if (plan.RateCap > 0)
            builder.Services.AddSingleton(sp => new AccountRateCap(ledgerPath + ".ratecap", plan.RateCap, plan.Burst, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new FaultInjector(plan, seed is { } s ? new Random(s) : new Random(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<AccountRateCap>()));
        builder.Services.AddSingleton(new CallLog(Environment.GetEnvironmentVariable(CallLog.Variable)));
        builder.Services.AddSingleton<IProcessControl, ProcessControl>();
        builder.Services.AddSingleton(ServerAccount.Resolve(Environment.GetEnvironmentVariable));
        builder.Services.AddSingleton<UpsShipApi>();
        builder.Services.AddSingleton<ISandboxTool, CreateShipmentTool>();
        builder.Services.AddSingleton<ISandboxTool, FriendlyCreateShipmentTool>();
        builder.Services.AddSingleton<ISandboxTool, ShippingCreateTool>();
        builder.Services.AddSingleton<ISandboxTool, VoidShipmentTool>();
        builder.Services.AddSingleton<ISandboxTool, RateShipmentTool>();
        builder.Services.AddSingleton<ISandboxTool, ValidateAddressTool>();
        builder.Services.AddSingleton<ISandboxTool, TrackPackageTool>();
        builder.Services.AddSingleton<ISandboxTool, RecoverLabelTool>();
        builder.Services.AddSingleton<ToolDispatcher>();

        builder.Services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "batchship-sandbox-carrier", Version = typeof(SandboxServer).Assembly.GetName().Version?.ToString() ?? "0.0.0" };
                options.ServerInstructions = "Offline sandbox carrier with the tools of the UPS MCP servers. Nothing is really shipped.";
            })
            .WithStdioServerTransport()
            .WithListToolsHandler((request, _) =>
                ValueTask.FromResult(request.Services!.GetRequiredService<ToolDispatcher>().List()))
            .WithCallToolHandler(async (request, cancellationToken) =>
            {
                var dispatcher = request.Services!.GetRequiredService<ToolDispatcher>();
                var parameters = request.Params!;
                return await dispatcher.CallAsync(parameters.Name, parameters.Arguments?.AsReadOnly(), cancellationToken).ConfigureAwait(false);
            });

        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BatchShip.SandboxCarrier");
        logger.LogInformation("Sandbox carrier serving over stdio; ledger at {Ledger}", ledgerPath);
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
