using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using BatchShip.Engine.Templates;
using BatchShip.Engine.Tests.Carriers;
using BatchShip.Engine.Tests.Templates;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>
/// A real store in a temp folder, the real sandbox carrier over stdio with its own ledger, and the
/// built-in ups-ground template: everything a run needs, nothing mocked.
/// </summary>
internal sealed class BatchHarness : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Store.TestStoreSource _source;

    public BatchHarness(string? faults = null, TimeSpan? callTimeout = null, StoreKind kind = StoreKind.Sqlite)
    {
        _source = new Store.TestStoreSource(kind, _folder.Combine("store"));
        Store = _source.Open();
        Ledger = _folder.Combine("ledger.jsonl");
        CallLog = _folder.Combine("calls.jsonl");
        Faults = faults;
        CallTimeout = callTimeout;
    }

    public BatchStore Store { get; }

    public string Ledger { get; }

    public string? Faults { get; set; }

    /// <summary>The sandbox's log of every tool call, refused ones included.</summary>
    public string CallLog { get; }

    public TimeSpan? CallTimeout { get; set; }

    /// <summary>The name of a profile built into the module to start the sandbox with instead of the Sandbox profile.</summary>
    public string? BuiltInProfile { get; set; }

    /// <summary>The seed of the sandbox's random faults, for a test that needs the same draws every time.</summary>
    public int? Seed { get; set; }

    /// <summary>The profile's maxConcurrentCalls: how many calls one sandbox process is given at once.</summary>
    public int? MaxConcurrentCalls { get; set; }

    public static ExecutorSettings FastRetries { get; } = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(200), MaxRetries = 20,
        SendDeadline = TimeSpan.FromSeconds(1),
    };

    /// <summary>Another connection to the same store, as another runner (another process, or another host) opens it.</summary>
    public BatchStore OpenAgain(RunnerIdentity? runner = null, TimeProvider? time = null)
    {
        var store = _source.Open(time);
        if (runner is not null) store.Runner = runner;
        return store;
    }

    public static IReadOnlyDictionary<string, string> Shipper => TemplateKit.Shipper;

    public static string UpsGround => File.ReadAllText(Path.Combine(TemplateKit.BuiltInDirectory, "ups-ground.sbn"));

    /// <summary>A valid row for ups-ground; the order reference makes its natural key.</summary>
    public static KeyValuePair<string, string>[] Order(string reference, string zip = "94105", string state = "CA", string weight = "2.5") =>
    [
        new("RecipientName", "Jane Doe"), new("Address1", "1 Market St"), new("City", "San Francisco"),
        new("State", state), new("PostalCode", zip), new("WeightLb", weight), new("Reference", reference),
    ];

    /// <summary>Creates and fully stages a job.</summary>
    public JobRecord Stage(IEnumerable<IReadOnlyList<KeyValuePair<string, string>>> rows, JobOptions? options = null, string? template = null)
    {
        var job = Store.CreateJob(new NewJob("test", "ups-ground", template ?? UpsGround, CarrierProfiles.SandboxName, Shipper, _folder.Combine("labels"), options ?? new JobOptions()));
        var stager = Store.BeginStaging(job.JobId);
        foreach (var row in rows)
            stager.Add(row, NaturalKeys.For(row, job.Options.KeyProperty, job.Carrier, Shipper["ShipperNumber"], stager.Count + 1));
        stager.Complete();
        return job;
    }

    public ICarrierSessionFactory Carrier() => new McpCarrierSessionFactory((BuiltInProfile is { } name
        ? SandboxCarrierProcess.BuiltIn(name, Ledger, Faults, CallTimeout, Seed, CallLog)
        : SandboxCarrierProcess.Profile(Ledger, Faults, CallTimeout, Seed, CallLog)) with { MaxConcurrentCalls = MaxConcurrentCalls });

    /// <summary>The text of a template built into the module.</summary>
    public static string BuiltInTemplate(string name) => File.ReadAllText(Path.Combine(TemplateKit.BuiltInDirectory, name + ".sbn"));

    public BatchExecutor Executor(ExecutorSettings? settings = null, BatchStore? store = null) => new(store ?? Store, Carrier(), settings ?? FastRetries);

    public async Task<(JobSummary Summary, RecordingObserver Events)> RunAsync(string jobId, CancellationToken ct = default, ExecutorSettings? settings = null, RecordingObserver? observer = null)
    {
        observer ??= new RecordingObserver();
        var summary = await Executor(settings).RunAsync(jobId, [observer], ct);
        return (summary, observer);
    }

    /// <summary>Sends a row's create straight to the carrier, outside any run: the create a runner sent before it died.</summary>
    public async Task<string> ShipDirectly(JobRecord job, RowRecord row)
    {
        var request = ShipmentTemplate.Parse("ups-ground", UpsGround)
            .Render(new TemplateInput(row.RowNumber, row.Input, Shipper, job.JobId, job.Name, row.Reference));
        await using var session = await Carrier().StartAsync(CancellationToken.None);
        var created = Assert.IsType<CreateOutcome.Created>(await session.CreateShipmentAsync(request, CancellationToken.None));
        return created.Shipment.Packages[0].TrackingNumber;
    }

    /// <summary>Every tool call the sandbox answered, as (tool, outcome, code), in order.</summary>
    public IReadOnlyList<(string Tool, string Outcome, string? Code)> ReadCalls() =>
        !File.Exists(CallLog) ? [] : File.ReadAllLines(CallLog).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            return (root.GetProperty("tool").GetString()!, root.GetProperty("outcome").GetString()!,
                root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null);
        }).ToList();

    /// <summary>The ids of the sandbox processes that answered <paramref name="tool"/>, one per call, in order.</summary>
    public IReadOnlyList<int> ReadCallPids(string tool) =>
        !File.Exists(CallLog) ? [] : File.ReadAllLines(CallLog).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            return (Tool: root.GetProperty("tool").GetString(), Pid: root.GetProperty("pid").GetInt32());
        }).Where(c => c.Tool == tool).Select(c => c.Pid).ToList();

    /// <summary>Every shipment the sandbox made, read through its own `ledger` verb.</summary>
    /// <summary>Asserts that the sandbox made exactly <paramref name="orders"/> shipments, one per order reference.</summary>
    public void AssertShippedOnceEach(int orders)
    {
        var ledger = ReadLedger();
        Assert.Equal(orders, ledger.Count);
        Assert.Equal(orders, ledger.SelectMany(e => e.References).Distinct().Count());
    }

    public IReadOnlyList<LedgerEntry> ReadLedger()
    {
        if (!File.Exists(Ledger)) return [];
        var psi = new ProcessStartInfo(DotnetHost.Locate()) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(SandboxCarrierProcess.AssemblyPath);
        psi.ArgumentList.Add("ledger");
        psi.ArgumentList.Add("--path");
        psi.ArgumentList.Add(Ledger);
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<LedgerEntry>(line, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!)
            .ToList();
    }

    public void Dispose()
    {
        Store.Dispose();
        _source.Dispose();
        _folder.Dispose();
    }
}

internal sealed record LedgerEntry(string ShipmentId, string[] TrackingNumbers, string[] References, string? CustomerContext, string Cost, string Currency, bool Voided);

/// <summary>Keeps every event in arrival order; can run a hook on each (e.g. cancel after N rows).</summary>
internal sealed class RecordingObserver(Action<BatchEvent>? onEvent = null) : IBatchObserver
{
    private readonly ConcurrentQueue<BatchEvent> _events = new();

    public IReadOnlyList<BatchEvent> Events => _events.ToArray();

    public IEnumerable<T> Of<T>() where T : BatchEvent => _events.OfType<T>();

    public void OnEvent(BatchEvent batchEvent)
    {
        _events.Enqueue(batchEvent);
        onEvent?.Invoke(batchEvent);
    }
}
