using System.Collections.Concurrent;
using System.Diagnostics;

namespace BatchShip.Engine.Store;

/// <summary>
/// The process a lease names: its host, id and start time. The start time tells a live runner from a new
/// process that happens to reuse its id.
/// </summary>
/// <param name="Host">The machine name (or <c>$env:BATCHSHIP_MACHINE_NAME</c>, for containers that share a store
/// folder and a host name).</param>
/// <param name="ProcessId">The process id.</param>
/// <param name="ProcessStartedAt">When the process started (UTC), when the platform tells.</param>
public sealed record RunnerIdentity(string Host, int ProcessId, DateTimeOffset? ProcessStartedAt)
{
    /// <summary>The environment variable that overrides the host name recorded in leases.</summary>
    public const string MachineNameVariable = "BATCHSHIP_MACHINE_NAME";

    /// <summary>This process.</summary>
    public static RunnerIdentity Current { get; } = new(
        Environment.GetEnvironmentVariable(MachineNameVariable) is { Length: > 0 } name ? name.Trim() : Environment.MachineName,
        Environment.ProcessId,
        StartTimeOf(Environment.ProcessId));

    // The runs of this process that are still going. A lease held by this very process cannot be judged by its
    // process id (it is alive: it is us), so each run says here that it is alive until it ends, however it ends.
    // This is the one process-wide fact about runs, hence static.
    private static readonly ConcurrentDictionary<string, byte> ActiveRuns = new(StringComparer.Ordinal);

    /// <summary>Marks a run of this process as going until the returned handle is disposed.</summary>
    public static IDisposable Register(string runId)
    {
        ActiveRuns[runId] = 0;
        return new Registration(runId);
    }

    /// <summary>True while a run of this process with that id is going.</summary>
    public static bool IsRunActive(string runId) => ActiveRuns.ContainsKey(runId);

    /// <summary>When a process started, or null when it does not exist or the platform will not say.</summary>
    public static DateTimeOffset? StartTimeOf(int processId)
    {
        try
        {
            using var p = Process.GetProcessById(processId);
            return p.HasExited ? null : new DateTimeOffset(p.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>True when a process with this id exists and, when both start times are known, is the same one.</summary>
    public static bool IsProcessAlive(int processId, DateTimeOffset? startedAt)
    {
        try
        {
            using var p = Process.GetProcessById(processId);
            if (p.HasExited) return false;
            if (startedAt is not { } expected) return true;
            var actual = new DateTimeOffset(p.StartTime.ToUniversalTime(), TimeSpan.Zero);
            // Start times are read back from /proc or the OS with clock-tick precision.
            return (actual - expected).Duration() < TimeSpan.FromSeconds(2);
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return true; // it exists, but we may not look at it: count it alive rather than take over a live runner
        }
    }

    private sealed class Registration(string runId) : IDisposable
    {
        public void Dispose() => ActiveRuns.TryRemove(runId, out _);
    }
}
