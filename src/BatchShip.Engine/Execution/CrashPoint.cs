using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BatchShip.Engine.Execution;

/// <summary>
/// A place in the row protocol where the process kills itself with SIGKILL, for crash tests that must
/// hit an exact moment (a random kill cannot aim between two commits). Named by the environment variable
/// <c>BATCHSHIP_CRASH_AT=&lt;point&gt;:&lt;row&gt;</c>, e.g. <c>after-create:3</c>, and armed only when
/// <c>BATCHSHIP_CRASH_ARM</c> holds <see cref="ArmingKey"/> of that exact value. A variable left behind in a
/// user's shell, a typo or a copied snippet therefore never kills a real run: the key is a hash nobody types by
/// accident, and a test computes it in one line. Chosen over a separate test-only build so that the crash tests
/// run against the very module that ships.
/// </summary>
/// <param name="Point">after-inflight, after-create, after-label or during-staging.</param>
/// <param name="RowNumber">The row at which to die.</param>
public sealed record CrashPoint(string Point, long RowNumber)
{
    public const string Variable = "BATCHSHIP_CRASH_AT";

    /// <summary>The variable that must carry <see cref="ArmingKey"/> of <see cref="Variable"/>'s value.</summary>
    public const string ArmVariable = "BATCHSHIP_CRASH_ARM";

    public static readonly string[] Points = ["after-inflight", "after-create", "after-label", "during-staging"];

    /// <summary>The crash point this process's environment names and arms, or null.</summary>
    public static CrashPoint? FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>The crash point the variables name and arm; null when unset, unarmed or malformed (never an error:
    /// a stray value must not break a Start).</summary>
    public static CrashPoint? FromEnvironment(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var text = lookup(Variable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!string.Equals(lookup(ArmVariable)?.Trim(), ArmingKey(text), StringComparison.OrdinalIgnoreCase)) return null;
        var parts = text.Split(':', 2);
        if (parts.Length != 2 || !Points.Contains(parts[0]) || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var row))
            return null;
        return new CrashPoint(parts[0], row);
    }

    /// <summary>The value that arms a crash point: the first 16 hex digits (lower case) of the SHA-256 of the exact
    /// <see cref="Variable"/> value, UTF-8. In PowerShell:
    /// <c>[Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($value))).Substring(0, 16).ToLowerInvariant()</c>.</summary>
    public static string ArmingKey(string value) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16].ToLowerInvariant();

    /// <summary>Dies here if this is the place.</summary>
    public void Reached(string point, long rowNumber)
    {
        if (point != Point || rowNumber != RowNumber) return;
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill(); // SIGKILL: no finally block, no flush, exactly like kill -9
    }
}
