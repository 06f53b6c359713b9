using System.Diagnostics;
using System.Text.Json.Nodes;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using BatchShip.Engine.Templates;

namespace BatchShip.Bench;

/// <summary>
/// Where a row's time goes in figure 1, measured part by part in one process (each part alone, with the
/// same inputs the run uses): render + SHA-256, the store's row protocol without a carrier, the carrier
/// call alone, the label write, and the whole engine run without PowerShell. The cmdlet's figure minus
/// the engine's is what PowerShell adds (Import-Csv, row conversion, result objects, the pipeline).
/// </summary>
internal static class ComponentProfile
{
    public static async Task<JsonObject> RunAsync(string home, string moduleRoot, long rows, int throttle)
    {
        EngineSetup.Fresh(home);
        Environment.SetEnvironmentVariable("BATCHSHIP_SANDBOX_LEDGER", Path.Combine(home, "sandbox-ledger.jsonl"));
        Environment.SetEnvironmentVariable("BATCHSHIP_SANDBOX_FAULTS", null);
        var result = new JsonObject { ["rows"] = rows, ["throttleLimit"] = throttle };

        using var store = BatchStore.Open(Path.Combine(home, "store"));
        var service = EngineSetup.Service(store, moduleRoot);
        var batch = EngineSetup.Prepare(service, moduleRoot, "bench components", throttle);

        // 1. Render + hash, the CPU part of step 1 and 2.
        var requests = new string[rows];
        var clock = Stopwatch.StartNew();
        for (long n = 1; n <= rows; n++)
        {
            requests[n - 1] = batch.Template.Render(new TemplateInput(n, OrderRows.Order(n), batch.Shipper, "J0000000000", "bench", JobIds.Reference("J0000000000", n)));
            _ = BatchExecutor.HashRequest(requests[n - 1]);
        }
        result["renderAndHash"] = Part(rows, clock.Elapsed);

        // 2. The carrier call alone: the same requests, `throttle` at a time, on one sandbox session.
        var factory = new McpCarrierSessionFactory(CarrierProfiles.Sandbox(moduleRoot));
        CreatedShipment? sample = null;
        await using (var session = await factory.StartAsync(CancellationToken.None).ConfigureAwait(false))
        {
            long next = 0;
            clock.Restart();
            await Task.WhenAll(Enumerable.Range(0, throttle).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i <= rows; i = Interlocked.Increment(ref next))
                {
                    var outcome = await session.CreateShipmentAsync(requests[i - 1], CancellationToken.None).ConfigureAwait(false);
                    if (outcome is not CreateOutcome.Created created) throw new InvalidOperationException($"Row {i}: {outcome}");
                    sample ??= created.Shipment;
                }
            }))).ConfigureAwait(false);
            result["carrierCreate"] = Part(rows, clock.Elapsed);
        }

        // 3. The label write (temp file, fsync, rename) of a real sandbox label.
        var labels = new LabelWriter(Path.Combine(home, "labels"));
        clock.Restart();
        for (long n = 1; n <= rows; n++) labels.Write("J0000000000", n, sample!.Packages);
        result["labelWrite"] = Part(rows, clock.Elapsed);
        result["labelBytes"] = sample!.Packages.Sum(p => p.LabelImage?.Length ?? 0);

        // 4. The store's part of the row protocol, one row after another: the InFlight commit, the Completed
        //    commit (which carries the CarrierCreate audit entry), the re-read of the row for its event.
        var staging = service.BeginJob(batch, OrderRows.Order(1));
        for (long n = 1; n <= rows; n++) staging.Add(OrderRows.Order(n));
        staging.Complete();
        var jobId = staging.Job.JobId;
        var facts = new ShipmentFacts(sample.ShipmentId, sample.Packages.Select(p => p.TrackingNumber).ToList(), sample.Cost, sample.Currency, ["label.gif"]);
        clock.Restart();
        for (long n = 1; n <= rows; n++)
        {
            if (store.TryBeginInFlight(jobId, n, "hash", allowDuplicate: false).Kind != BeginKind.Started) throw new InvalidOperationException($"Row {n} did not start.");
            store.CompleteRow(jobId, n, RowStatus.InFlight, facts, "Created", new { outcome = "Created", code = (string?)null });
            _ = store.GetRow(jobId, n);
        }
        result["storeProtocol"] = Part(rows, clock.Elapsed);

        // 5. The whole engine run (no PowerShell): stage, then run with the throttle, events to a counter.
        clock.Restart();
        var run = service.BeginJob(batch, OrderRows.Order(rows + 1));
        for (long n = rows + 1; n <= 2 * rows; n++) run.Add(OrderRows.Order(n));
        run.Complete();
        var staged = clock.Elapsed;
        var counter = new CountingObserver();
        var summary = await service.RunAsync(run.Job.JobId, [counter], CancellationToken.None, throttle).ConfigureAwait(false);
        clock.Stop();
        if (summary.Count(RowStatus.Completed) != rows) throw new InvalidOperationException($"Engine run completed {summary.Count(RowStatus.Completed)} of {rows} rows.");
        result["engineStaging"] = Part(rows, staged);
        result["engineRun"] = Part(rows, clock.Elapsed - staged);
        result["engineTotal"] = Part(rows, clock.Elapsed);
        return result;
    }

    private static JsonObject Part(long rows, TimeSpan elapsed) => new()
    {
        ["seconds"] = Math.Round(elapsed.TotalSeconds, 3),
        ["msPerRow"] = Math.Round(elapsed.TotalMilliseconds / rows, 4),
        ["rowsPerSecond"] = Math.Round(rows / elapsed.TotalSeconds, 1),
    };

    private sealed class CountingObserver : IBatchObserver
    {
        private long _events;

        public void OnEvent(BatchEvent batchEvent) => Interlocked.Increment(ref _events);
    }
}
