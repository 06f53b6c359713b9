using System.Diagnostics;
using System.Globalization;

namespace BatchShip.Engine.Execution;

/// <summary>
/// A place in the row protocol where the process kills itself with SIGKILL, for crash tests that must
/// hit an exact moment (a random kill cannot aim between two commits). Set by the environment variable
/// <c>BATCHSHIP_CRASH_AT=&lt;point&gt;:&lt;row&gt;</c>, e.g. <c>after-create:3</c>; unset in normal use.
/// </summary>
/// <param name="Point">after-inflight, after-create, after-label or during-staging.</param>
/// <param name="RowNumber">The row at which to die.</param>
public sealed record CrashPoint(string Point, long RowNumber)
{
    public const string Variable = "BATCHSHIP_CRASH_AT";

    public static readonly string[] Points = ["after-inflight", "after-create", "after-label", "during-staging"];

    /// <summary>The crash point the environment names, or null.</summary>
    public static CrashPoint? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(':', 2);
        if (parts.Length != 2 || !Points.Contains(parts[0]) || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var row))
            throw new ArgumentException($"{Variable} must be <point>:<row> with a point of {string.Join(", ", Points)}; got '{text}'.");
        return new CrashPoint(parts[0], row);
    }

    /// <summary>Dies here if this is the place.</summary>
    public void Reached(string point, long rowNumber)
    {
        if (point != Point || rowNumber != RowNumber) return;
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill(); // SIGKILL: no finally block, no flush, exactly like kill -9
    }
}
