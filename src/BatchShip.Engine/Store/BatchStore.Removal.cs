using System.Data.Common;
using System.Globalization;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Store;

public sealed partial class BatchStore
{
    /// <summary>
    /// Removes a job and its rows in one transaction. A job whose runner is alive is refused (E-4005); one with rows
    /// InFlight or NeedsReview is refused (E-4040) unless <paramref name="force"/>, since nobody knows yet whether they
    /// shipped. What was bought is never dropped silently: a JobRemoved audit entry lists every row that shipped or may
    /// have (tracking numbers, shipment id, cost), and the natural keys of those rows move to <c>shipped_keys</c>, so a
    /// later job with the same order still finds it shipped.
    /// </summary>
    public RemovedJob RemoveJob(string jobId, bool force) => Write(tx =>
    {
        var job = RequireJob(tx, jobId);
        if (LiveLeases(jobId, tx) is { Count: > 0 } live)
            throw new BatchShipException(ErrorCatalog.JobBusy,
                $"Job {jobId} is being run by {DescribeRunners(live)}; it cannot be removed while it runs.", jobId: jobId);
        var status = job.Status == JobStatus.Running ? "Interrupted" : job.Status.ToString();

        var counts = CountRows(tx, jobId);
        long Count(RowStatus s) => counts.TryGetValue(s, out var n) ? n : 0;
        var unsettled = Count(RowStatus.InFlight) + Count(RowStatus.NeedsReview);
        if (unsettled > 0 && !force)
            throw new BatchShipException(ErrorCatalog.Unsettled,
                $"Job {jobId} ({status}) has {Count(RowStatus.InFlight)} row(s) in flight and {Count(RowStatus.NeedsReview)} that need review: they may have shipped.", jobId: jobId);

        var bought = new List<object>();
        var keys = new List<(string Key, long Row, string Status, string? Tracking, string? ShipmentId)>();
        decimal total = 0;
        string? currency = null;
        using (var cmd = Command("""
            SELECT row_number, natural_key, reference, status, tracking_numbers, shipment_id, cost, currency FROM rows
            WHERE job_id = @job AND status IN ('Completed', 'Voided', 'InFlight', 'NeedsReview') ORDER BY row_number
            """, tx))
        {
            cmd.Bind("@job", jobId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var (row, key, reference, rowStatus) = (r.GetInt64(0), Str(r, 1), r.GetString(2), r.GetString(3));
                var (tracking, shipmentId, cost, cur) = (Str(r, 4), Str(r, 5), Str(r, 6), Str(r, 7));
                bought.Add(new { row, reference, status = rowStatus, trackingNumbers = Split(tracking), shipmentId, cost, currency = cur });
                if (rowStatus == nameof(RowStatus.Completed) && cost is not null)
                {
                    total += decimal.Parse(cost, CultureInfo.InvariantCulture);
                    currency ??= cur;
                }
                // A voided shipment no longer blocks its order; one that shipped or may have shipped does.
                if (key is not null && rowStatus != nameof(RowStatus.Voided)) keys.Add((key, row, rowStatus, tracking, shipmentId));
            }
        }

        var now = Now;
        using (var cmd = Command("""
            INSERT INTO shipped_keys(natural_key, job_id, row_number, status, tracking_numbers, shipment_id, removed_at)
            VALUES (@key, @job, @row, @status, @tracking, @sid, @now)
            ON CONFLICT (job_id, row_number) DO UPDATE SET natural_key = excluded.natural_key, status = excluded.status,
                tracking_numbers = excluded.tracking_numbers, shipment_id = excluded.shipment_id, removed_at = excluded.removed_at
            """, tx))
        {
            foreach (var k in keys)
            {
                cmd.Parameters.Clear();
                cmd.Bind("@key", k.Key);
                cmd.Bind("@job", jobId);
                cmd.Bind("@row", k.Row);
                cmd.Bind("@status", k.Status);
                cmd.Bind("@tracking", (object?)k.Tracking ?? DBNull.Value);
                cmd.Bind("@sid", (object?)k.ShipmentId ?? DBNull.Value);
                cmd.Bind("@now", FormatTime(now));
                cmd.ExecuteNonQuery();
            }
        }

        // The audit has no foreign key to jobs: this entry outlives the job, in the same transaction as the delete.
        AppendAudit(tx, jobId, null, "JobRemoved", new
        {
            name = job.Name, status, forced = force && unsettled > 0, rows = job.RowCount,
            counts = counts.ToDictionary(c => c.Key.ToString(), c => c.Value), totalCost = total, currency,
            shipments = bought,
        });
        using (var cmd = Command("DELETE FROM jobs WHERE job_id = @id", tx)) // rows and lease go with it (ON DELETE CASCADE)
        {
            cmd.Bind("@id", jobId);
            cmd.ExecuteNonQuery();
        }
        return new RemovedJob(jobId, job.Name, status, job.RowCount, Count(RowStatus.Completed), total, currency, keys.Count, now);
    });

    /// <summary>The jobs that ended (Completed, CompletedWithErrors, Failed, Stopped, Cancelled) before
    /// <paramref name="cutoff"/>, oldest first: Remove-BatchJob -OlderThan. A job that never ended is never listed.</summary>
    public IReadOnlyList<string> JobsFinishedBefore(DateTimeOffset cutoff)
    {
        return Read(c =>
        {
            using var cmd = Command("SELECT job_id FROM jobs WHERE finished_at IS NOT NULL AND status <> 'Running' AND finished_at < @cutoff ORDER BY finished_at", c);
            cmd.Bind("@cutoff", FormatTime(cutoff));
            using var r = cmd.ExecuteReader();
            var ids = new List<string>();
            while (r.Read()) ids.Add(r.GetString(0));
            return ids;
        });
    }

    /// <summary>The time now, by the store's clock (for a retention cutoff).</summary>
    public DateTimeOffset UtcNow => Now;

    // A removed job's row that holds the key: Completed ones first, since they prove a shipment.
    private (string JobId, long RowNumber, string Status, string? Tracking, string? ShipmentId)? FindRemovedShipment(Db tx, string naturalKey)
    {
        using var cmd = Command("SELECT job_id, row_number, status, tracking_numbers, shipment_id FROM shipped_keys WHERE natural_key = @key ORDER BY status = 'Completed' DESC LIMIT 1", tx);
        cmd.Bind("@key", naturalKey);
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.GetInt64(1), r.GetString(2), Str(r, 3), Str(r, 4)) : null;
    }

    private static string RemovedShipmentText((string JobId, long RowNumber, string Status, string? Tracking, string? ShipmentId) s) =>
        s.Status == nameof(RowStatus.Completed)
            ? $"row {s.RowNumber} of removed job {s.JobId} (tracking {s.Tracking})"
            : $"row {s.RowNumber} of removed job {s.JobId}, which was removed while it was {s.Status} (it may have shipped; check with the carrier, and ship it with -AllowDuplicate only if it did not)";
}
