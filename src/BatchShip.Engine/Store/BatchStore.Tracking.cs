using System.Globalization;

namespace BatchShip.Engine.Store;

public sealed partial class BatchStore
{
    /// <summary>Records what the carrier's tracking said about a shipped row. Not a state change: only a Completed row
    /// is tracked, and a row that has left Completed meanwhile (voided) is left as it is. Returns false then.</summary>
    public bool RecordTracking(string jobId, long rowNumber, string status, DateTimeOffset? deliveredAt) => Write(tx =>
    {
        using var cmd = Command("""
            UPDATE rows SET delivery_status = @status, delivered_at = @delivered, tracked_at = @now
            WHERE job_id = @job AND row_number = @row AND status = 'Completed'
            """, tx);
        cmd.Bind("@status", status);
        cmd.Bind("@delivered", deliveredAt is { } at ? FormatTime(at) : DBNull.Value);
        cmd.Bind("@now", FormatTime(Now));
        cmd.Bind("@job", jobId);
        cmd.Bind("@row", rowNumber);
        var changed = cmd.ExecuteNonQuery() == 1;
        if (changed)
            AppendAudit(tx, jobId, rowNumber, "RowTracked", new { status, deliveredAt = deliveredAt?.ToString("o", CultureInfo.InvariantCulture) });
        return changed;
    });
}
