using System.Reflection;
using BatchShip.Engine.Carriers;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>Finds the real sandbox carrier built beside these tests and makes profiles that start it.</summary>
internal static class SandboxCarrierProcess
{
    public const string ShipperNumber = "999AA1";

    /// <summary>The sandbox's assembly in its project's output for this test run's configuration and framework.</summary>
    public static string AssemblyPath { get; } = FindAssembly();

    public static CarrierProfile Profile(string ledger, string? faults = null, TimeSpan? timeout = null, int? seed = null, string? callLog = null)
    {
        var environment = new Dictionary<string, string> { ["BATCHSHIP_SANDBOX_LEDGER"] = ledger };
        if (callLog is not null) environment["BATCHSHIP_SANDBOX_CALL_LOG"] = callLog;
        if (faults is not null) environment["BATCHSHIP_SANDBOX_FAULTS"] = faults;
        if (seed is not null) environment["BATCHSHIP_SANDBOX_SEED"] = seed.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return CarrierProfiles.ForSandboxAssembly(AssemblyPath) with
        {
            Environment = environment,
            CallTimeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>A profile built into the module (module/carriers/&lt;name&gt;.json), with its tools, answer and error formats
    /// and limits as shipped, but started as the sandbox: the real server's command and credentials are replaced.</summary>
    public static CarrierProfile BuiltIn(string name, string ledger, string? faults = null, TimeSpan? timeout = null, int? seed = null, string? callLog = null)
    {
        var file = Path.Combine(Path.GetDirectoryName(Templates.TemplateKit.BuiltInDirectory)!, "carriers", name + ".json");
        var sandbox = Profile(ledger, faults, timeout, seed, callLog);
        return CarrierProfileReader.Read(name, File.ReadAllText(file)) with
        {
            Command = sandbox.Command,
            Arguments = sandbox.Arguments,
            Environment = sandbox.Environment,
            WorkingDirectory = null,
            CallTimeout = sandbox.CallTimeout,
        };
    }

    private static string FindAssembly()
    {
        var configuration = typeof(SandboxCarrierProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "BatchShip.Cmdlets.sln"))) continue;
            var dll = Path.Combine(dir.FullName, "src", "BatchShip.SandboxCarrier", "bin", configuration, framework, "BatchShip.SandboxCarrier.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the sandbox carrier first (the test project references it).", dll);
        }
        throw new DirectoryNotFoundException("The repository root (BatchShip.Cmdlets.sln) is not above the test output.");
    }
}
