using System.Text.Json;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Bench;

/// <summary>The engine as the cmdlets open it: the store in a folder, the built module's templates and sandbox.</summary>
internal static class EngineSetup
{
    public static BatchService Service(BatchStore store, string moduleRoot) => new(store, moduleRoot);

    public static PreparedBatch Prepare(BatchService service, string moduleRoot, string name, int throttleLimit = 4)
    {
        var shipper = JsonSerializer.Deserialize<Dictionary<string, string?>>(File.ReadAllText(Path.Combine(moduleRoot, "samples", "shipper.json")))!;
        return service.Prepare(new BatchRequest("ups-ground", shipper, "Sandbox", name, null, new JobOptions { ThrottleLimit = throttleLimit }));
    }

    /// <summary>A fresh, empty folder.</summary>
    public static string Fresh(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
