using System.Data.Common;
using System.Globalization;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Store;

// Runs, their leases and fencing tokens. A job may have several runners at once (processes of one user, or stations
// of a team store): each run holds its own lease, keyed by (job, run), with its own token. A run's writes check that
// its lease still exists with its token, so taking over one dead runner (deleting its lease) fences that runner alone.
public sealed partial class BatchStore
{
    private const string LeaseColumns = "run_id, epoch, owner_pid, host, process_started_at, started_at, heartbeat_at";

    /// <summary>
    /// Starts a run of the job in one transaction: checks that it can run, takes over the leases of dead runners (their
    /// rows in flight become this run's to settle, their claimed rows go back to the pool), takes a lease of its own with
    /// a new fencing token (the job's epoch, raised), puts Failed rows back to Pending when <paramref name="retryFailed"/>,
    /// and marks the job Running. A job other runners are running is joined: they go on, and this run ships rows with
    /// them. Nothing changes unless all of it can.
    /// </summary>
    public RunToken BeginRun(string jobId, string runId, bool retryFailed = false) => Write(tx =>
    {
        var job = RequireJob(tx, jobId);
        if (job.Status == JobStatus.Cancelled)
            throw new BatchShipException(ErrorCatalog.JobState, $"Job {jobId} was cancelled; a cancelled job is never resumed.", jobId: jobId);
        if (!job.StagingComplete)
            throw new BatchShipException(ErrorCatalog.JobState,
                $"Job {jobId} was cut short while its rows were being staged; nothing was shipped. Run Start-BatchShipment again with the same input, and remove this job with Remove-BatchJob.", jobId: jobId);

        var leases = ReadLeases(jobId, tx);
        var live = leases.Where(IsLeaseAlive).ToList();
        // Runners are joined only while the job runs; a live lease on a job that does not run is one being started.
        if (live.Count > 0 && job.Status != JobStatus.Running)
            throw new BatchShipException(ErrorCatalog.JobBusy, $"Job {jobId} is being started by {DescribeRunners(live)}.", jobId: jobId);

        var counts = CountRows(tx, jobId);
        long Count(RowStatus s) => counts.TryGetValue(s, out var n) ? n : 0;
        var left = Count(RowStatus.Pending) + Count(RowStatus.InFlight) + (retryFailed ? Count(RowStatus.Failed) : 0);
        if (job.Status is JobStatus.Completed or JobStatus.CompletedWithErrors && left == 0)
            throw new BatchShipException(ErrorCatalog.JobState, $"Job {jobId} is already {job.Status}; there is nothing left to ship.", jobId: jobId);
        Transitions.EnsureAllowed(jobId, job.Status, JobStatus.Running);

        long epoch;
        using (var cmd = Command("UPDATE jobs SET epoch = epoch + 1 WHERE job_id = @id RETURNING epoch", tx))
        {
            cmd.Bind("@id", jobId);
            epoch = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var run = new RunToken(jobId, runId, epoch);
        using (var cmd = Command($"INSERT INTO leases(job_id, {LeaseColumns}) VALUES (@id, @run, @epoch, @pid, @host, @pstart, @now, @now)", tx))
        {
            cmd.Bind("@id", jobId);
            cmd.Bind("@run", run.RunId);
            cmd.Bind("@epoch", epoch);
            cmd.Bind("@pid", Runner.ProcessId);
            cmd.Bind("@host", Runner.Host);
            cmd.Bind("@pstart", Runner.ProcessStartedAt is { } ps ? FormatTime(ps) : DBNull.Value);
            cmd.Bind("@now", FormatTime(Now));
            cmd.ExecuteNonQuery();
        }
        AppendAudit(tx, jobId, null, "LeaseAcquired", new { run = run.RunId, pid = Runner.ProcessId, host = Runner.Host, epoch, joined = live.Count });
        TakeOver(tx, run, leases.Except(live));

        if (retryFailed && Count(RowStatus.Failed) > 0)
        {
            Transitions.EnsureAllowed(jobId, 0, RowStatus.Failed, RowStatus.Pending);
            using var cmd = Command("UPDATE rows SET status = 'Pending', updated_at = @now WHERE job_id = @job AND status = 'Failed'", tx);
            cmd.Bind("@now", FormatTime(Now));
            cmd.Bind("@job", jobId);
            AppendAudit(tx, jobId, null, "FailedRowsRetried", new { rows = cmd.ExecuteNonQuery() });
        }
        if (job.Status == JobStatus.Running && live.Count == 0)
        {
            // A stop or cancel asked of the runners that are gone was never seen by them; this Resume is the newer request.
            using (var cmd = Command("UPDATE jobs SET stop_requested = 0, cancel_requested = 0, run_error_code = NULL, run_error_message = NULL WHERE job_id = @id", tx))
            {
                cmd.Bind("@id", jobId);
                cmd.ExecuteNonQuery();
            }
            AppendAudit(tx, jobId, null, "JobStatusChanged", new { from = "Interrupted", to = "Running" });
        }
        else if (job.Status != JobStatus.Running) MoveJob(tx, jobId, job.Status, JobStatus.Running, null, null);
        return run;
    });

    /// <summary>
    /// Keeps the run's lease fresh, and takes over the leases of the job's other runners that died meanwhile: their
    /// claimed rows go back to the pool, and their rows in flight become this run's. Returns those rows (the first row
    /// of each -GroupBy group), which the run must settle with the carrier. Fails with E-4009 when this run's own lease
    /// was taken over.
    /// </summary>
    public IReadOnlyList<long> Heartbeat(RunToken run) => Write(tx =>
    {
        EnsureEpoch(tx, run);
        using (var cmd = Command("UPDATE leases SET heartbeat_at = @now WHERE job_id = @id AND run_id = @run", tx))
        {
            cmd.Bind("@now", FormatTime(Now));
            cmd.Bind("@id", run.JobId);
            cmd.Bind("@run", run.RunId);
            cmd.ExecuteNonQuery();
        }
        var dead = ReadLeases(run.JobId, tx).Where(l => l.RunId != run.RunId && !IsLeaseAlive(l)).ToList();
        return dead.Count == 0 ? [] : TakeOver(tx, run, dead);
    });

    // Deletes the leases of dead runners (fencing them, should one wake up after all), puts the rows they claimed back
    // in the pool, and makes every InFlight row no live run owns this run's: those of the dead runners, of runs that
    // ended with rows in flight, and of older versions (no run recorded). In the caller's transaction, so two live runs
    // never take the same row over. Returns the leaders of the rows taken over.
    private List<long> TakeOver(DbTransaction tx, RunToken run, IEnumerable<JobLease> dead)
    {
        foreach (var lease in dead)
        {
            using (var cmd = Command("DELETE FROM leases WHERE job_id = @id AND run_id = @run; UPDATE rows SET claimed_by = NULL WHERE job_id = @id AND claimed_by = @run", tx))
            {
                cmd.Bind("@id", run.JobId);
                cmd.Bind("@run", lease.RunId);
                cmd.ExecuteNonQuery();
            }
            AppendAudit(tx, run.JobId, null, "LeaseTakenOver", new
            {
                previousRun = lease.RunId, previousOwner = lease.OwnerProcessId, previousHost = lease.Host,
                lastHeartbeat = lease.HeartbeatAt, run = run.RunId, epoch = run.Epoch,
            });
        }
        var adopted = new List<long>();
        using (var cmd = Command("""
            UPDATE rows SET run_id = @run WHERE job_id = @id AND status = 'InFlight'
                AND (run_id IS NULL OR run_id NOT IN (SELECT run_id FROM leases WHERE job_id = @id))
            RETURNING row_number, group_row
            """, tx))
        {
            cmd.Bind("@id", run.JobId);
            cmd.Bind("@run", run.RunId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
                if (r.IsDBNull(1) || r.GetInt64(1) == r.GetInt64(0)) adopted.Add(r.GetInt64(0));
        }
        adopted.Sort();
        if (adopted.Count > 0) AppendAudit(tx, run.JobId, null, "InFlightRowsTakenOver", new { run = run.RunId, rows = adopted });
        return adopted;
    }

    /// <summary>The rows in flight this run took over (all of a run's InFlight rows before it sends anything), in order:
    /// those it must settle with the carrier before it sends a new one.</summary>
    public IReadOnlyList<RowRecord> InFlightRowsOf(RunToken run)
    {
        return Read(c =>
        {
            using var cmd = Command($"SELECT {RowColumns} FROM rows WHERE job_id = @job AND status = 'InFlight' AND run_id = @run ORDER BY row_number", c);
            cmd.Bind("@job", run.JobId);
            cmd.Bind("@run", run.RunId);
            return ReadRows(cmd);
        });
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> Pending rows nobody has claimed for this run, in row order, in one write
    /// fenced by the run's token; returns them. A row is sent only by the run that claimed it. On PostgreSQL the rows
    /// another runner is claiming at the same moment are skipped, not waited for.
    /// </summary>
    public IReadOnlyList<RowRecord> ClaimPendingRows(RunToken run, int limit) => Write(tx =>
    {
        EnsureEpoch(tx, run);
        // The rows are picked once, in a materialized sub-select: a sub-select under IN may be run again for each row
        // the UPDATE looks at, and, locking rows as it goes, pick more than the limit.
        using var cmd = Command($"""
            WITH picked AS MATERIALIZED (
                SELECT row_number FROM rows WHERE job_id = @job AND status = 'Pending' AND claimed_by IS NULL
                    AND (group_row IS NULL OR group_row = row_number)
                ORDER BY row_number LIMIT @limit{_dialect.SkipLockedRows})
            UPDATE rows SET claimed_by = @run WHERE job_id = @job AND row_number IN (SELECT row_number FROM picked)
            RETURNING {RowColumns}
            """, tx);
        cmd.Bind("@run", run.RunId);
        cmd.Bind("@job", run.JobId);
        cmd.Bind("@limit", limit);
        return ReadRows(cmd).OrderBy(r => r.RowNumber).ToList();
    });

    /// <summary>
    /// Ends a run in one transaction: gives its lease and its unsent claims up and, when no live runner is left, ends the
    /// job as <paramref name="decide"/> says from the job as this transaction sees it (or Cancelled, when a cancel was
    /// asked and every row is settled). Two runners ending at once cannot both skip the job's ending, nor both write it.
    /// A runner that is not the last records <paramref name="error"/> (the error it stopped on) for the last one, and
    /// writes no status. E-4009 when the run was taken over.
    /// </summary>
    public RunEnd EndRun(RunToken run, BatchShipException? error, Func<RunEndFacts, JobEnding> decide, bool claimRowsGivenBack = false) => Write(tx =>
    {
        EnsureEpoch(tx, run);
        var leases = ReadLeases(run.JobId, tx).Where(l => l.RunId != run.RunId).ToList();
        var others = leases.Where(IsLeaseAlive).ToList();
        if (claimRowsGivenBack && others.Count == 0)
        {
            // The last runner does not end while rows are left that no live run will send: those of a runner found dead
            // only now (taken over here, its rows in flight this run's to settle), and Pending rows another runner gave
            // back after this run's last claim. Seen in this transaction, so no row can slip between the look and the
            // ending; the run keeps its lease and goes on with them.
            var dead = leases.Where(l => !IsLeaseAlive(l)).ToList();
            var takenOver = dead.Count == 0 ? [] : TakeOver(tx, run, dead);
            if (takenOver.Count > 0 || HasUnclaimedPendingRows(tx, run.JobId)) return new RunEnd(null, 0, RowsGivenBack: true) { TakenOver = takenOver };
        }
        DeleteLease(tx, run);
        if (others.Count > 0)
        {
            if (error is not null)
            {
                using var cmd = Command("UPDATE jobs SET run_error_code = @code, run_error_message = @message WHERE job_id = @id AND run_error_code IS NULL", tx);
                cmd.Bind("@code", error.Error.Code);
                cmd.Bind("@message", error.Message);
                cmd.Bind("@id", run.JobId);
                cmd.ExecuteNonQuery();
            }
            AppendAudit(tx, run.JobId, null, "RunEnded", new { run = run.RunId, last = false, runnersLeft = others.Count, error = error?.Error.Code });
            return new RunEnd(null, others.Count);
        }

        var job = RequireJob(tx, run.JobId);
        bool cancelRequested;
        string? runErrorCode, runErrorMessage;
        using (var cmd = Command("SELECT cancel_requested, run_error_code, run_error_message FROM jobs WHERE job_id = @id", tx))
        {
            cmd.Bind("@id", run.JobId);
            using var r = cmd.ExecuteReader();
            r.Read();
            (cancelRequested, runErrorCode, runErrorMessage) = (r.GetInt64(0) == 1, Str(r, 1), Str(r, 2));
        }
        string? cancelNote = null;
        if (cancelRequested)
        {
            // Stop-BatchShipment -Cancel: once every row is settled the job ends Cancelled. One left InFlight or
            // NeedsReview still needs a Resume or a person, so the job ends as a stop would, with a note saying why.
            if (UnsettledReason(tx, run.JobId, "Running") is { } unsettled) cancelNote = "Not cancelled: " + unsettled;
            else
            {
                CancelInside(tx, run.JobId, JobStatus.Running);
                return new RunEnd(new JobEnding(JobStatus.Cancelled, null, null), 0);
            }
        }
        var recorded = RecordedRunError(run.JobId, runErrorCode, runErrorMessage);
        var ending = decide(new RunEndFacts(CountRows(tx, run.JobId), job.StopRequested, recorded, cancelNote));
        MoveJob(tx, run.JobId, JobStatus.Running, ending.Status, ending.Error?.Error.Code, ending.Error?.Message ?? ending.Note);
        return new RunEnd(ending, 0);
    });

    private bool HasUnclaimedPendingRows(DbTransaction tx, string jobId)
    {
        // The rows ClaimPendingRows would claim: a -GroupBy group's other rows go with its first row, never on their own.
        using var cmd = Command("SELECT 1 FROM rows WHERE job_id = @id AND status = 'Pending' AND claimed_by IS NULL AND (group_row IS NULL OR group_row = row_number) LIMIT 1", tx);
        cmd.Bind("@id", jobId);
        return cmd.ExecuteScalar() is not null;
    }

    /// <summary>Gives the lease and the rows it claimed but did not send up, if this run still holds it (a run that was
    /// taken over has nothing to give up). For a run that could not end by <see cref="EndRun"/>.</summary>
    public void ReleaseLease(RunToken run) => Write(tx => DeleteLease(tx, run));

    private void DeleteLease(DbTransaction tx, RunToken run)
    {
        using var cmd = Command("DELETE FROM leases WHERE job_id = @id AND run_id = @run AND epoch = @epoch; UPDATE rows SET claimed_by = NULL WHERE job_id = @id AND claimed_by = @run", tx);
        cmd.Bind("@id", run.JobId);
        cmd.Bind("@run", run.RunId);
        cmd.Bind("@epoch", run.Epoch);
        cmd.ExecuteNonQuery();
    }

    // The fencing check every runner write makes inside its own transaction: the run's lease must still exist with its token.
    private void EnsureEpoch(DbTransaction tx, RunToken run)
    {
        using var cmd = Command("SELECT epoch FROM leases WHERE job_id = @id AND run_id = @run", tx);
        cmd.Bind("@id", run.JobId);
        cmd.Bind("@run", run.RunId);
        var epoch = cmd.ExecuteScalar();
        if (epoch is null)
        {
            RequireJob(tx, run.JobId); // a job removed meanwhile is E-4006
            throw Fenced(run, "another runner took it over");
        }
        if (Convert.ToInt64(epoch, CultureInfo.InvariantCulture) != run.Epoch) throw Fenced(run, "another runner took it over");
    }

    private static BatchShipException Fenced(RunToken run, string why) =>
        new(ErrorCatalog.LeaseLost, $"This runner no longer owns job {run.JobId} ({why}); it stopped and sent nothing more.", jobId: run.JobId);

    private List<JobLease> ReadLeases(string jobId, Db tx)
    {
        using var cmd = Command($"SELECT {LeaseColumns} FROM leases WHERE job_id = @id ORDER BY started_at, run_id", tx);
        cmd.Bind("@id", jobId);
        using var r = cmd.ExecuteReader();
        var list = new List<JobLease>();
        while (r.Read())
            list.Add(new JobLease(jobId, r.GetString(0), r.GetInt64(1), r.GetInt32(2), r.GetString(3), ParseTimeOrNull(r, 4), ParseTime(r.GetString(5)), ParseTime(r.GetString(6))));
        return list;
    }

    // The job's runners that may still be sending, oldest first.
    private List<JobLease> LiveLeases(string jobId, Db tx) => ReadLeases(jobId, tx).Where(IsLeaseAlive).ToList();

    // "process 12 on host-a since ... (and 1 other runner)", for E-4005.
    private static string DescribeRunners(IReadOnlyList<JobLease> live) =>
        $"process {live[0].OwnerProcessId} on {live[0].Host} since {live[0].StartedAt:u}" + (live.Count > 1 ? $" (and {live.Count - 1} other runner(s))" : "");

    /// <summary>
    /// Whether a lease's runner may still be sending. On this host the process decides, never the clock: a runner
    /// frozen past its heartbeat (SIGSTOP, a suspended machine, a long pause) still exists and may wake up, so its
    /// lease stands until its process (id and start time) is gone; in this very process, until its run has ended.
    /// A runner on another host cannot be seen, so there only a heartbeat older than <see cref="LeaseTimeout"/>
    /// counts as death; should it wake up after all, its deleted lease fences its writes.
    /// </summary>
    private bool IsLeaseAlive(JobLease lease)
    {
        if (!string.Equals(lease.Host, Runner.Host, StringComparison.OrdinalIgnoreCase)) return Now - lease.HeartbeatAt <= LeaseTimeout;
        if (lease.OwnerProcessId == Runner.ProcessId && (lease.ProcessStartedAt is null || Runner.ProcessStartedAt is null
            || (lease.ProcessStartedAt.Value - Runner.ProcessStartedAt.Value).Duration() < TimeSpan.FromSeconds(2)))
            return RunnerIdentity.IsRunActive(lease.RunId);
        return RunnerIdentity.IsProcessAlive(lease.OwnerProcessId, lease.ProcessStartedAt);
    }
}
