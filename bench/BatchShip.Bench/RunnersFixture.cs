using System.Diagnostics;
using System.Text.Json.Nodes;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Bench;

/// <summary>
/// Figure 10: one job shipped by several runners. The job is staged through the engine and recorded as begun and
/// stopped, so that Resume-BatchShipment processes started together all find it resumable with every row Pending.
/// Its pace is read from the store's audit, the same way for every runner count: rows completed over the span from
/// the first row committed InFlight to the last row committed Completed, so that process start-up and staging
/// (which differ between one Start-BatchShipment and several Resumes) are not counted.
/// </summary>
internal static class RunnersFixture
{
    public static JsonObject Stage(string home, string moduleRoot, long rows)
    {
        EngineSetup.Fresh(home);
        var clock = Stopwatch.StartNew();
        using var store = BatchStore.Open(home);
        var service = EngineSetup.Service(store, moduleRoot);
        var staging = service.BeginJob(EngineSetup.Prepare(service, moduleRoot, "bench runners"), OrderRows.Order(1));
        for (long n = 1; n <= rows; n++) staging.Add(OrderRows.Order(n));
        staging.Complete();
        var jobId = staging.Job.JobId;
        store.SetJobStatus(jobId, JobStatus.Created, JobStatus.Running);
        store.SetJobStatus(jobId, JobStatus.Running, JobStatus.Stopped);
        return new JsonObject { ["jobId"] = jobId, ["rows"] = rows, ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2) };
    }

    /// <summary>The job's shipping span from its audit: first RowInFlight to last RowCompleted, and the rows completed.</summary>
    public static JsonObject Span(string home, string jobId)
    {
        using var store = BatchStore.Open(home);
        var audit = store.ReadAudit(jobId);
        var inFlight = audit.Where(a => a.Event == "RowInFlight").Select(a => a.At).DefaultIfEmpty().Min();
        var completed = audit.Where(a => a.Event == "RowCompleted").ToList();
        var last = completed.Select(a => a.At).DefaultIfEmpty().Max();
        var seconds = completed.Count > 0 ? (last - inFlight).TotalSeconds : 0;
        return new JsonObject
        {
            ["rowsCompleted"] = completed.Count,
            ["spanSeconds"] = Math.Round(seconds, 3),
            ["rowsPerSecond"] = seconds > 0 ? Math.Round(completed.Count / seconds, 2) : 0,
        };
    }
}
