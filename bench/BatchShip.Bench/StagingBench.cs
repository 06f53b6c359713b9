using System.Diagnostics;
using System.Text.Json.Nodes;
using BatchShip.Engine.Store;

namespace BatchShip.Bench;

/// <summary>
/// Figure 3: rows staged per second through the engine's staging API (BatchService.BeginJob and
/// JobStaging.Add, as Start-BatchShipment stages), and this process's working set as the rows go in.
/// The rows are generated one at a time, so what grows is the engine's, not the benchmark's.
/// </summary>
internal static class StagingBench
{
    public static JsonObject Run(string home, string moduleRoot, long rows, long sampleEvery)
    {
        EngineSetup.Fresh(home);
        using var process = Process.GetCurrentProcess();
        var samples = new JsonArray();
        void Sample(long done)
        {
            process.Refresh();
            samples.Add(new JsonObject
            {
                ["rows"] = done,
                ["workingSetMB"] = Mb(process.WorkingSet64),
                ["peakWorkingSetMB"] = Mb(process.PeakWorkingSet64),
                ["managedHeapMB"] = Mb(GC.GetTotalMemory(false)),
            });
        }

        using var store = BatchStore.Open(home);
        var service = EngineSetup.Service(store, moduleRoot);
        var batch = EngineSetup.Prepare(service, moduleRoot, "bench staging");
        Sample(0);
        var clock = Stopwatch.StartNew();
        var staging = service.BeginJob(batch, OrderRows.Order(1));
        for (long n = 1; n <= rows; n++)
        {
            staging.Add(OrderRows.Order(n));
            if (n % sampleEvery == 0) Sample(n);
        }
        staging.Complete();
        clock.Stop();
        if (rows % sampleEvery != 0) Sample(rows);
        process.Refresh();
        var seconds = clock.Elapsed.TotalSeconds;
        return new JsonObject
        {
            ["rows"] = rows,
            ["seconds"] = Math.Round(seconds, 3),
            ["rowsPerSecond"] = Math.Round(rows / seconds, 1),
            ["peakWorkingSetMB"] = Mb(process.PeakWorkingSet64),
            ["databaseMB"] = Mb(new FileInfo(store.DatabasePath).Length + WalLength(store.DatabasePath)),
            ["samples"] = samples,
        };
    }

    private static long WalLength(string db) => File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length : 0;

    private static double Mb(long bytes) => Math.Round(bytes / 1048576.0, 1);
}
