using System.Reflection;
using BatchShip.Engine.Carriers;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>Finds the hostile carrier (tests/BatchShip.HostileCarrier) built beside these tests and makes profiles that start it.</summary>
internal static class HostileCarrierProcess
{
    public static string AssemblyPath { get; } = FindAssembly();

    /// <summary>A profile for the hostile carrier in <paramref name="mode"/>; every create is written to <paramref name="ledger"/>.</summary>
    public static CarrierProfile Profile(string mode, string ledger, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOSTILE_MODE"] = mode, ["HOSTILE_LEDGER"] = ledger };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        return new CarrierProfile("Hostile", DotnetHost.Locate())
        {
            Arguments = [AssemblyPath],
            Environment = env,
            CallTimeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The references the hostile carrier was asked to create, one per create call.</summary>
    public static string[] Creates(string ledger) => File.Exists(ledger) ? File.ReadAllLines(ledger).Where(l => l.Length > 0).ToArray() : [];

    private static string FindAssembly()
    {
        var configuration = typeof(HostileCarrierProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "BatchShip.Cmdlets.sln"))) continue;
            var dll = Path.Combine(dir.FullName, "tests", "BatchShip.HostileCarrier", "bin", configuration, framework, "BatchShip.HostileCarrier.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the hostile carrier first (the test project references it).", dll);
        }
        throw new DirectoryNotFoundException("The repository root (BatchShip.Cmdlets.sln) is not above the test output.");
    }
}
