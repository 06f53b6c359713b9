using System.Globalization;

namespace BatchShip.Engine.Store;

/// <summary>What the store says of a carrier account's rate budget after a run's sync.</summary>
/// <param name="Pace">The account's pace in calls per second, as last learned from a 429 by any of its runs (null: none yet).</param>
/// <param name="LearnedAt">When that pace was learned.</param>
/// <param name="PausedUntil">Until when the carrier asked every caller to wait (Retry-After), if that is still ahead.</param>
/// <param name="Runs">How many runs use the account now, this one included.</param>
public sealed record RateBudget(double? Pace, DateTimeOffset? LearnedAt, DateTimeOffset? PausedUntil, int Runs);

public sealed partial class BatchStore
{
    /// <summary>How long a run that stopped syncing still counts as using its account (it died, or froze).</summary>
    public static readonly TimeSpan RateShareTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// One run's turn at its carrier account's shared rate budget, in one write: says the run still uses the account,
    /// forgets runs not seen for <see cref="RateShareTimeout"/>, records the account pace the run just learned from a
    /// 429 (<paramref name="learnedPace"/>) and the pause the carrier asked for (the later pause wins), and returns the
    /// budget as it now stands. Nothing here is a secret: the account is the carrier's name and the shipper number.
    /// </summary>
    public RateBudget SyncRateBudget(string account, string runId, double? learnedPace, DateTimeOffset? pausedUntil) => Write(tx =>
    {
        var now = Now;
        using (var cmd = Command("""
            INSERT INTO rate_shares(account, run_id, seen_at) VALUES (@account, @run, @now)
            ON CONFLICT (account, run_id) DO UPDATE SET seen_at = excluded.seen_at
            """, tx))
        {
            cmd.Bind("@account", account);
            cmd.Bind("@run", runId);
            cmd.Bind("@now", FormatTime(now));
            cmd.ExecuteNonQuery();
        }
        using (var cmd = Command("DELETE FROM rate_shares WHERE account = @account AND seen_at < @stale", tx))
        {
            cmd.Bind("@account", account);
            cmd.Bind("@stale", FormatTime(now - RateShareTimeout));
            cmd.ExecuteNonQuery();
        }

        double? pace = null;
        DateTimeOffset? learnedAt = null, paused = null;
        using (var cmd = Command("SELECT pace, learned_at, paused_until FROM rate_budgets WHERE account = @account", tx))
        {
            cmd.Bind("@account", account);
            using var r = cmd.ExecuteReader();
            if (r.Read())
            {
                pace = r.IsDBNull(0) ? null : Convert.ToDouble(r.GetValue(0), CultureInfo.InvariantCulture);
                learnedAt = ParseTimeOrNull(r, 1);
                paused = ParseTimeOrNull(r, 2);
            }
        }
        if (learnedPace is { } learned)
        {
            pace = learned;
            learnedAt = now;
        }
        if (pausedUntil is { } until && (paused is null || until > paused)) paused = until;
        if (learnedPace is not null || pausedUntil is not null)
        {
            using var cmd = Command("""
                INSERT INTO rate_budgets(account, pace, learned_at, paused_until) VALUES (@account, @pace, @learned, @paused)
                ON CONFLICT (account) DO UPDATE SET pace = excluded.pace, learned_at = excluded.learned_at, paused_until = excluded.paused_until
                """, tx);
            cmd.Bind("@account", account);
            cmd.Bind("@pace", pace);
            cmd.Bind("@learned", learnedAt is { } l ? FormatTime(l) : null);
            cmd.Bind("@paused", paused is { } p ? FormatTime(p) : null);
            cmd.ExecuteNonQuery();
        }

        long runs;
        using (var cmd = Command("SELECT COUNT(*) FROM rate_shares WHERE account = @account", tx))
        {
            cmd.Bind("@account", account);
            runs = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        return new RateBudget(pace, learnedAt, paused > now ? paused : null, (int)Math.Max(1, runs));
    });

    /// <summary>The run no longer uses the account: the others share its budget from their next sync.</summary>
    public void LeaveRateBudget(string account, string runId) => Write(tx =>
    {
        using var cmd = Command("DELETE FROM rate_shares WHERE account = @account AND run_id = @run", tx);
        cmd.Bind("@account", account);
        cmd.Bind("@run", runId);
        cmd.ExecuteNonQuery();
    });
}
