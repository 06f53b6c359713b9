using System.Data.Common;
using System.Globalization;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Store;

public sealed partial class BatchStore
{
    /// <summary>
    /// Cancels a job: its Pending rows become Skipped (never shipped) and the job Cancelled, which no Resume continues.
    /// A job whose runner is alive is asked to cancel (the stop request its dispatcher reads): it stops after its rows in
    /// flight and its run ends Cancelled; returns false then. Any other Created, Failed, Stopped or Interrupted job is
    /// cancelled at once, in one transaction; returns true. A job with rows InFlight or NeedsReview is refused (E-4040):
    /// a cancelled job is never resumed, so nothing would settle them. A finished job is E-4004.
    /// </summary>
    public bool CancelJob(string jobId) => Write(tx =>
    {
        var job = RequireJob(tx, jobId);
        if (job.Status is JobStatus.Completed or JobStatus.CompletedWithErrors or JobStatus.Cancelled)
            throw new BatchShipException(ErrorCatalog.JobState, $"Job {jobId} is {job.Status}; there is nothing left to cancel.", jobId: jobId);

        var live = LiveLeases(jobId, tx);
        if (job.Status == JobStatus.Running && live.Count > 0)
        {
            // Every runner of the job reads the stop request; the last one to end ends the job Cancelled.
            using (var cmd = Command("UPDATE jobs SET stop_requested = 1, cancel_requested = 1 WHERE job_id = @id", tx))
            {
                cmd.Bind("@id", jobId);
                cmd.ExecuteNonQuery();
            }
            AppendAudit(tx, jobId, null, "CancelRequested", new { runner = live[0].OwnerProcessId, host = live[0].Host, runners = live.Count });
            return false;
        }
        if (live.Count > 0)
            throw new BatchShipException(ErrorCatalog.JobBusy,
                $"Job {jobId} is being started by {DescribeRunners(live)}; cancel it once it runs.", jobId: jobId);

        if (UnsettledReason(tx, jobId, job.Status == JobStatus.Running ? "Interrupted" : job.Status.ToString()) is { } unsettled)
            throw new BatchShipException(ErrorCatalog.Unsettled, unsettled, jobId: jobId);
        if (job.Status == JobStatus.Running)
        {
            // An Interrupted job: its runners are gone, but one on another host may only be silent. Deleting their
            // leases fences them, as a takeover would, so none can ever ship a row of a cancelled job.
            using var cmd = Command("DELETE FROM leases WHERE job_id = @id", tx);
            cmd.Bind("@id", jobId);
            cmd.ExecuteNonQuery();
        }
        CancelInside(tx, jobId, job.Status);
        return true;
    });

    // Pending rows Skipped and the job Cancelled, in the caller's transaction (the rows must be settled).
    private void CancelInside(DbTransaction tx, string jobId, JobStatus from)
    {
        Transitions.EnsureAllowed(jobId, from, JobStatus.Cancelled);
        var skipped = SkipPending(tx, jobId);
        MoveJob(tx, jobId, from, JobStatus.Cancelled, null, CancelledNote(skipped));
    }

    /// <summary>True when Stop-BatchShipment -Cancel asked this job's runner to cancel.</summary>
    public bool IsCancelRequested(string jobId)
    {
        return Read(c =>
        {
            using var cmd = Command("SELECT cancel_requested FROM jobs WHERE job_id = @id", c);
            cmd.Bind("@id", jobId);
            return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture) == 1;
        });
    }

    private static string CancelledNote(long skipped) =>
        string.Create(CultureInfo.InvariantCulture, $"Cancelled: {skipped} pending row(s) were skipped and will not be shipped.");

    // Why a job cannot be cancelled yet (rows InFlight or NeedsReview), or null.
    private string? UnsettledReason(DbTransaction tx, string jobId, string status)
    {
        var counts = CountRows(tx, jobId);
        long Count(RowStatus s) => counts.TryGetValue(s, out var n) ? n : 0;
        return Count(RowStatus.InFlight) + Count(RowStatus.NeedsReview) > 0
            ? $"Job {jobId} ({status}) has {Count(RowStatus.InFlight)} row(s) in flight and {Count(RowStatus.NeedsReview)} that need review; a cancelled job is never resumed, so resume it first or resolve them, then cancel it."
            : null;
    }

    // Every Pending row at once (a job may hold a million): the table is checked once for the one change all of them make.
    private long SkipPending(DbTransaction tx, string jobId)
    {
        Transitions.EnsureAllowed(jobId, 0, RowStatus.Pending, RowStatus.Skipped);
        using var cmd = Command("UPDATE rows SET status = 'Skipped', error_message = @why, updated_at = @now WHERE job_id = @job AND status = 'Pending'", tx);
        cmd.Bind("@why", $"Cancelled by {_userName} at {FormatTime(Now)}; never shipped.");
        cmd.Bind("@now", FormatTime(Now));
        cmd.Bind("@job", jobId);
        var skipped = cmd.ExecuteNonQuery();
        AppendAudit(tx, jobId, null, "PendingRowsSkipped", new { rows = skipped, reason = "Cancelled" });
        return skipped;
    }
}
