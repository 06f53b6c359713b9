using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tests.Infrastructure;

/// <summary>A real sandbox process driven through the MCP client library over stdio, with its own ledger.</summary>
public sealed class SandboxClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly List<(string Fragment, TaskCompletionSource Seen)> _watches = [];
    private readonly Lock _lock = new();

    private SandboxClient(string ledgerPath) => LedgerPath = ledgerPath;

    public McpClient Client { get; private set; } = null!;

    public string LedgerPath { get; }

    public string StandardError => string.Join('\n', _stderr);

    public static async Task<SandboxClient> StartAsync(string? faults = null, string? ledgerPath = null, string? seed = "42", string? callLog = null)
    {
        var sandbox = new SandboxClient(ledgerPath ?? Path.Combine(SandboxPaths.NewTempDirectory(), "ledger.jsonl"));
        var environment = new Dictionary<string, string?>
        {
            ["BATCHSHIP_SANDBOX_LEDGER"] = sandbox.LedgerPath,
            ["BATCHSHIP_SANDBOX_FAULTS"] = faults ?? "",
            ["BATCHSHIP_SANDBOX_SEED"] = seed,
        };
        if (callLog is not null) environment["BATCHSHIP_SANDBOX_CALL_LOG"] = callLog;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "sandbox",
            Command = "dotnet",
            Arguments = [SandboxPaths.ServerDll],
            EnvironmentVariables = environment,
            StandardErrorLines = sandbox.OnStandardError,
        });
        using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        sandbox.Client = await McpClient.CreateAsync(transport, cancellationToken: startup.Token);
        return sandbox;
    }

    /// <summary>Completes when the server writes a stderr line containing the fragment (event driven, no polling).</summary>
    public Task WhenStandardErrorContains(string fragment)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_stderr.Any(l => l.Contains(fragment, StringComparison.Ordinal))) seen.TrySetResult();
            else _watches.Add((fragment, seen));
        }
        return seen.Task;
    }

    private void OnStandardError(string line)
    {
        lock (_lock)
        {
            _stderr.Enqueue(line);
            foreach (var (fragment, seen) in _watches.Where(w => line.Contains(w.Fragment, StringComparison.Ordinal)).ToList())
                seen.TrySetResult();
        }
    }

    public async Task<ToolReply> CallAsync(string tool, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var result = await Client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token);
        return ToolReply.From(tool, result);
    }

    public Task<ToolReply> CreateAsync(JsonObject requestBody, CancellationToken cancellationToken = default) =>
        CallAsync("create_shipment", new Dictionary<string, object?> { ["request_body"] = ToElement(requestBody) }, cancellationToken);

    public Task<ToolReply> RecoverByReferenceAsync(string reference, string shipperNumber = Requests.ShipperNumber) =>
        CallAsync("recover_label", new Dictionary<string, object?>
        {
            ["request_body"] = ToElement(new JsonObject
            {
                ["LabelRecoveryRequest"] = new JsonObject
                {
                    ["Request"] = new JsonObject { ["TransactionReference"] = new JsonObject { ["CustomerContext"] = reference } },
                    ["LabelSpecification"] = new JsonObject { ["HTTPUserAgent"] = "Mozilla/4.5" },
                    ["ReferenceValues"] = new JsonObject
                    {
                        ["ReferenceNumber"] = new JsonObject { ["Value"] = reference },
                        ["ShipperNumber"] = shipperNumber,
                    },
                },
            }),
        });

    public static JsonElement ToElement(JsonNode node) => JsonSerializer.Deserialize<JsonElement>(node.ToJsonString());

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Client.DisposeAsync();
        }
        catch (Exception)
        {
            // A crashed server makes disposal noisy; the test already asserted what mattered.
        }
    }
}
