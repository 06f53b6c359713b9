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

        var lease = ReadLease(jobId, tx);
        if (job.Status == JobStatus.Running && lease is not null && IsLeaseAlive(lease))
        {
            using (var cmd = Command("UPDATE jobs SET stop_requested = 1, cancel_requested = 1 WHERE job_id = @id", tx))
            {
                cmd.Bind("@id", jobId);
                cmd.ExecuteNonQuery();
            }
            AppendAudit(tx, jobId, null, "CancelRequested", new { runner = lease.OwnerProcessId, host = lease.Host });
            return false;
        }
        if (lease is not null && IsLeaseAlive(lease))
            throw new BatchShipException(ErrorCatalog.JobBusy,
                $"Job {jobId} is being started by process {lease.OwnerProcessId} on {lease.Host}; cancel it once it runs.", jobId: jobId);

        EnsureSettled(tx, jobId, job.Status == JobStatus.Running ? "Interrupted" : job.Status.ToString());
        Transitions.EnsureAllowed(jobId, job.Status, JobStatus.Cancelled);
        if (job.Status == JobStatus.Running)
        {
            // An Interrupted job: its runner is gone, but one on another host may only be silent. Raising the epoch
            // fences it, as a takeover would, so it can never ship a row of a cancelled job.
            using var cmd = Command("UPDATE jobs SET epoch = epoch + 1 WHERE job_id = @id; DELETE FROM leases WHERE job_id = @id;", tx);
            cmd.Bind("@id", jobId);
            cmd.ExecuteNonQuery();
        }
        var skipped = SkipPending(tx, jobId);
        MoveJob(tx, jobId, job.Status, JobStatus.Cancelled, null, CancelledNote(skipped));
        return true;
    });

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

    /// <summary>Ends a run that was asked to cancel: Pending rows Skipped and the job Cancelled, in one transaction
    /// fenced by the run's token. E-4040 when rows are still unsettled (the run then ends Stopped instead).</summary>
    public void FinishCancelled(RunToken run) => Write(tx =>
    {
        EnsureEpoch(tx, run);
        EnsureSettled(tx, run.JobId, "Running");
        Transitions.EnsureAllowed(run.JobId, JobStatus.Running, JobStatus.Cancelled);
        var skipped = SkipPending(tx, run.JobId);
        MoveJob(tx, run.JobId, JobStatus.Running, JobStatus.Cancelled, null, CancelledNote(skipped));
    });

    private static string CancelledNote(long skipped) =>
        string.Create(CultureInfo.InvariantCulture, $"Cancelled: {skipped} pending row(s) were skipped and will not be shipped.");

    private void EnsureSettled(DbTransaction tx, string jobId, string status)
    {
        var counts = CountRows(tx, jobId);
        long Count(RowStatus s) => counts.TryGetValue(s, out var n) ? n : 0;
        if (Count(RowStatus.InFlight) + Count(RowStatus.NeedsReview) > 0)
            throw new BatchShipException(ErrorCatalog.Unsettled,
                $"Job {jobId} ({status}) has {Count(RowStatus.InFlight)} row(s) in flight and {Count(RowStatus.NeedsReview)} that need review; a cancelled job is never resumed, so resume it first or resolve them, then cancel it.", jobId: jobId);
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
