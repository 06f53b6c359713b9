using System.Globalization;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Sandbox;

/// <summary>
/// The environment variables that point BatchShip and the sandbox carrier at an isolated store and ledger. Environment
/// variables are the mechanism because they reach every carrier the session starts and every child pwsh it runs.
/// </summary>
public static class SandboxEnvironment
{
    /// <summary>The sandbox's ledger file (the sandbox reads it from this variable).</summary>
    public const string LedgerVariable = "BATCHSHIP_SANDBOX_LEDGER";

    /// <summary>The sandbox's fault specification.</summary>
    public const string FaultsVariable = "BATCHSHIP_SANDBOX_FAULTS";

    /// <summary>The seed of the sandbox's random faults.</summary>
    public const string SeedVariable = "BATCHSHIP_SANDBOX_SEED";

    /// <summary>
    /// Every variable a sandbox sets or clears, and so saves and restores. The crash hook is cleared too: one left over
    /// from an earlier test would kill the runner of the next.
    /// </summary>
    public static IReadOnlyList<string> Variables { get; } =
        [StoreLocation.HomeVariable, LedgerVariable, FaultsVariable, SeedVariable, CrashPoint.Variable, CrashPoint.ArmVariable];

    /// <summary>The ledger file of a sandbox rooted at <paramref name="folder"/>.</summary>
    public static string LedgerPath(string folder) => Path.Combine(folder, "sandbox", "ledger.jsonl");

    /// <summary>
    /// The fault specification for the sandbox: the given one, with a latency (a duration in the sandbox's own terms,
    /// e.g. 150ms or 1s) appended as its own entry, which the sandbox applies after a latency given in
    /// <paramref name="faults"/>. Null when there is nothing to inject.
    /// </summary>
    public static string? FaultSpecification(string? faults, string? latency)
    {
        var entries = new List<string>();
        if (!string.IsNullOrWhiteSpace(faults)) entries.Add(faults.Trim().Trim(';'));
        if (!string.IsNullOrWhiteSpace(latency)) entries.Add($"latency={latency.Trim()}");
        return entries.Count == 0 ? null : string.Join(';', entries);
    }

    /// <summary>A duration in the sandbox's terms: whole milliseconds with the unit ms.</summary>
    public static string Duration(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Round(Math.Max(0, duration.TotalMilliseconds))}ms");

    /// <summary>The file that marks a folder as a sandbox's, so a sandbox never takes over a real store.</summary>
    public const string MarkerFileName = ".batchship-sandbox";

    /// <summary>
    /// The value of every variable in <see cref="Variables"/> for a sandbox rooted at <paramref name="folder"/>; null
    /// means the variable is removed.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> For(string folder, string? faultSpecification, int? seed) =>
        new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [StoreLocation.HomeVariable] = folder,
            [LedgerVariable] = LedgerPath(folder),
            [FaultsVariable] = string.IsNullOrWhiteSpace(faultSpecification) ? null : faultSpecification,
            [SeedVariable] = seed?.ToString(CultureInfo.InvariantCulture),
            [CrashPoint.Variable] = null,
            [CrashPoint.ArmVariable] = null,
        };

    /// <summary>
    /// Makes <paramref name="folder"/> a sandbox folder: creates it and its marker. A folder that already holds anything
    /// but an earlier sandbox is refused (E-4007), so a sandbox can never be pointed at a real store.
    /// </summary>
    public static string PrepareFolder(string folder)
    {
        var full = Path.GetFullPath(folder);
        var marker = Path.Combine(full, MarkerFileName);
        try
        {
            if (Directory.Exists(full) && !File.Exists(marker) && Directory.EnumerateFileSystemEntries(full).Any())
                throw new BatchShipException(ErrorCatalog.Configuration,
                    $"The folder {full} is not empty and is not a sandbox folder; a sandbox needs a new or empty folder of its own, so that it cannot touch a real store.",
                    "Path");
            Directory.CreateDirectory(full);
            if (!File.Exists(marker))
                File.WriteAllText(marker, "This folder is a BatchShip sandbox: a throw-away store and sandbox ledger for tests.\n");
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BatchShipException(ErrorCatalog.FileSystem, $"The sandbox folder {full} could not be prepared: {e.Message}", "Path", inner: e);
        }
    }
}
