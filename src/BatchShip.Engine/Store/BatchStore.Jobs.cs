using System.Diagnostics;
using System.Text.RegularExpressions;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using Microsoft.Data.Sqlite;

namespace BatchShip.Engine.Store;

public sealed partial class BatchStore
{
    /// <summary>How long a runner may go without a heartbeat before its lease counts as abandoned.</summary>
    public static readonly TimeSpan LeaseTimeout = TimeSpan.FromMinutes(2);

    private const string JobColumns = "job_id, name, status, template_name, template_source, carrier, shipper_json, label_directory, options_json, staging_complete, row_count, created_at, started_at, finished_at, last_error_code, last_error_message, stop_requested";

    /// <summary>Creates a job in <see cref="JobStatus.Created"/> with no rows yet.</summary>
    public JobRecord CreateJob(NewJob spec)
    {
        var id = JobIds.New();
        var now = Now;
        var labels = string.IsNullOrWhiteSpace(spec.LabelDirectory)
            ? Path.Combine(Folder, "labels", id)
            : Path.GetFullPath(spec.LabelDirectory);
        var name = string.IsNullOrWhiteSpace(spec.Name) ? $"{spec.TemplateName} {now:yyyy-MM-dd HH:mm}" : spec.Name.Trim();
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using (var cmd = Command($"INSERT INTO jobs({JobColumns}) VALUES ($id, $name, 'Created', $tn, $ts, $carrier, $shipper, $labels, $options, 0, 0, $now, NULL, NULL, NULL, NULL, 0)", tx))
            {
                cmd.Parameters.AddWithValue("$id", id);
                cmd.Parameters.AddWithValue("$name", name);
                cmd.Parameters.AddWithValue("$tn", spec.TemplateName);
                cmd.Parameters.AddWithValue("$ts", spec.TemplateSource);
                cmd.Parameters.AddWithValue("$carrier", spec.Carrier);
                cmd.Parameters.AddWithValue("$shipper", ToJson(spec.Shipper));
                cmd.Parameters.AddWithValue("$labels", labels);
                cmd.Parameters.AddWithValue("$options", ToJson(spec.Options));
                cmd.Parameters.AddWithValue("$now", FormatTime(now));
                cmd.ExecuteNonQuery();
            }
            AppendAudit(tx, id, null, "JobCreated", new { name, template = spec.TemplateName, carrier = spec.Carrier });
            tx.Commit();
        }
        return GetJob(id)!;
    }

    /// <summary>The job, or null.</summary>
    public JobRecord? GetJob(string jobId)
    {
        lock (_gate)
        {
            using var cmd = Command($"SELECT {JobColumns} FROM jobs WHERE job_id = $id");
            cmd.Parameters.AddWithValue("$id", jobId);
            using var r = cmd.ExecuteReader();
            return r.Read() ? ReadJob(r) : null;
        }
    }

    /// <summary>The job, or E-4006.</summary>
    public JobRecord RequireJob(string jobId) =>
        GetJob(jobId) ?? throw new BatchShipException(ErrorCatalog.NotFound, $"There is no job {jobId} in the store at {Folder}.", jobId: jobId);

    /// <summary>Jobs with their counts, newest first.</summary>
    public IReadOnlyList<JobSummary> ListJobs(JobQuery query)
    {
        var jobs = new List<JobRecord>();
        lock (_gate)
        {
            var sql = $"SELECT {JobColumns} FROM jobs";
            using var cmd = Command("");
            if (query.JobIds is { Count: > 0 })
            {
                var names = query.JobIds.Select((id, i) => { cmd.Parameters.AddWithValue($"$j{i}", id); return $"$j{i}"; });
                sql += $" WHERE job_id IN ({string.Join(", ", names)})";
            }
            cmd.CommandText = sql + " ORDER BY created_at DESC, rowid DESC";
            using var r = cmd.ExecuteReader();
            while (r.Read()) jobs.Add(ReadJob(r));
        }
        var pattern = query.NamePattern is null ? null : WildcardToRegex(query.NamePattern);
        var result = new List<JobSummary>();
        foreach (var job in jobs)
        {
            if (pattern is not null && !pattern.IsMatch(job.Name)) continue;
            var summary = Summarize(job);
            if (query.Statuses is { Count: > 0 } && !query.Statuses.Contains(summary.DisplayStatus, StringComparer.OrdinalIgnoreCase)) continue;
            result.Add(summary);
            if (query.Newest is int n && result.Count >= n) break;
        }
        return result;
    }

    /// <summary>One job with its counts, or E-4006.</summary>
    public JobSummary Summarize(string jobId) => Summarize(RequireJob(jobId));

    private JobSummary Summarize(JobRecord job)
    {
        var counts = new Dictionary<RowStatus, long>();
        decimal total = 0;
        string? currency = null;
        JobLease? lease;
        lock (_gate)
        {
            using (var cmd = Command("SELECT status, COUNT(*) FROM rows WHERE job_id = $id GROUP BY status"))
            {
                cmd.Parameters.AddWithValue("$id", job.JobId);
                using var r = cmd.ExecuteReader();
                while (r.Read()) counts[Enum.Parse<RowStatus>(r.GetString(0))] = r.GetInt64(1);
            }
            using (var cmd = Command("SELECT cost, currency FROM rows WHERE job_id = $id AND status = 'Completed' AND cost IS NOT NULL"))
            {
                cmd.Parameters.AddWithValue("$id", job.JobId);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    total += decimal.Parse(r.GetString(0), System.Globalization.CultureInfo.InvariantCulture);
                    currency ??= r.IsDBNull(1) ? null : r.GetString(1);
                }
            }
            lease = ReadLease(job.JobId, null);
        }
        var interrupted = job.Status == JobStatus.Running && (lease is null || !IsLeaseAlive(lease));
        return new JobSummary(job, counts, total, currency, lease, interrupted);
    }

    /// <summary>Moves a job through the transition table, recording the error that ended it when there is one.</summary>
    public void SetJobStatus(string jobId, JobStatus from, JobStatus to, string? errorCode = null, string? errorMessage = null)
    {
        Transitions.EnsureAllowed(jobId, from, to);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            var finished = to is JobStatus.Completed or JobStatus.CompletedWithErrors or JobStatus.Failed or JobStatus.Stopped;
            using (var cmd = Command("""
                UPDATE jobs SET status = $to,
                    started_at = CASE WHEN $to = 'Running' THEN $now ELSE started_at END,
                    finished_at = CASE WHEN $finished THEN $now ELSE NULL END,
                    last_error_code = CASE WHEN $to = 'Running' THEN last_error_code ELSE $code END,
                    last_error_message = CASE WHEN $to = 'Running' THEN last_error_message ELSE $message END,
                    stop_requested = CASE WHEN $to = 'Running' THEN 0 ELSE stop_requested END
                WHERE job_id = $id AND status = $from
                """, tx))
            {
                cmd.Parameters.AddWithValue("$to", to.ToString());
                cmd.Parameters.AddWithValue("$from", from.ToString());
                cmd.Parameters.AddWithValue("$now", FormatTime(Now));
                cmd.Parameters.AddWithValue("$finished", finished ? 1 : 0);
                cmd.Parameters.AddWithValue("$code", (object?)errorCode ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$message", (object?)errorMessage ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$id", jobId);
                if (cmd.ExecuteNonQuery() != 1)
                    throw new BatchShipException(ErrorCatalog.JobState, $"Job {jobId} is no longer {from}; it was changed by another process.", jobId: jobId);
            }
            AppendAudit(tx, jobId, null, "JobStatusChanged", new { from = from.ToString(), to = to.ToString(), errorCode, errorMessage });
            tx.Commit();
        }
    }

    /// <summary>Removes a job that never ran (its batch was declined at the prompt, or staging failed).</summary>
    public void DeleteCreatedJob(string jobId)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using (var cmd = Command("DELETE FROM jobs WHERE job_id = $id AND status = 'Created'", tx))
            {
                cmd.Parameters.AddWithValue("$id", jobId);
                if (cmd.ExecuteNonQuery() != 1)
                    throw new BatchShipException(ErrorCatalog.JobState, $"Job {jobId} has run; it cannot be removed.", jobId: jobId);
            }
            AppendAudit(tx, jobId, null, "JobDiscarded", null);
            tx.Commit();
        }
    }

    /// <summary>Asks the job's runner, wherever it is, to stop after its in-flight rows.</summary>
    public void RequestStop(string jobId)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using (var cmd = Command("UPDATE jobs SET stop_requested = 1 WHERE job_id = $id", tx))
            {
                cmd.Parameters.AddWithValue("$id", jobId);
                if (cmd.ExecuteNonQuery() != 1)
                    throw new BatchShipException(ErrorCatalog.NotFound, $"There is no job {jobId}.", jobId: jobId);
            }
            AppendAudit(tx, jobId, null, "StopRequested", null);
            tx.Commit();
        }
    }

    /// <summary>True when Stop-BatchShipment asked this job to stop.</summary>
    public bool IsStopRequested(string jobId)
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT stop_requested FROM jobs WHERE job_id = $id");
            cmd.Parameters.AddWithValue("$id", jobId);
            return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L) == 1;
        }
    }

    // --- leases ------------------------------------------------------------------------------

    /// <summary>Takes the job's lease for this process, taking over one whose owner is dead or silent.
    /// Throws E-4005 naming the owner when a live runner holds it.</summary>
    public JobLease AcquireLease(string jobId)
    {
        var me = new JobLease(jobId, Environment.ProcessId, Environment.MachineName, Now, Now);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            var current = ReadLease(jobId, tx);
            if (current is not null && (current.OwnerProcessId != me.OwnerProcessId || current.Host != me.Host))
            {
                if (IsLeaseAlive(current))
                    throw new BatchShipException(ErrorCatalog.JobBusy,
                        $"Job {jobId} is being run by process {current.OwnerProcessId} on {current.Host} since {current.StartedAt:u}.", jobId: jobId);
                AppendAudit(tx, jobId, null, "LeaseTakenOver", new { previousOwner = current.OwnerProcessId, previousHost = current.Host, lastHeartbeat = current.HeartbeatAt });
            }
            using (var cmd = Command("INSERT OR REPLACE INTO leases(job_id, owner_pid, host, started_at, heartbeat_at) VALUES ($id, $pid, $host, $now, $now)", tx))
            {
                cmd.Parameters.AddWithValue("$id", jobId);
                cmd.Parameters.AddWithValue("$pid", me.OwnerProcessId);
                cmd.Parameters.AddWithValue("$host", me.Host);
                cmd.Parameters.AddWithValue("$now", FormatTime(me.StartedAt));
                cmd.ExecuteNonQuery();
            }
            AppendAudit(tx, jobId, null, "LeaseAcquired", new { pid = me.OwnerProcessId, host = me.Host });
            tx.Commit();
        }
        return me;
    }

    /// <summary>Keeps this process's lease fresh.</summary>
    public void Heartbeat(string jobId)
    {
        lock (_gate)
        {
            using var cmd = Command("UPDATE leases SET heartbeat_at = $now WHERE job_id = $id AND owner_pid = $pid AND host = $host");
            cmd.Parameters.AddWithValue("$now", FormatTime(Now));
            cmd.Parameters.AddWithValue("$id", jobId);
            cmd.Parameters.AddWithValue("$pid", Environment.ProcessId);
            cmd.Parameters.AddWithValue("$host", Environment.MachineName);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Gives the lease up, if this process holds it.</summary>
    public void ReleaseLease(string jobId)
    {
        lock (_gate)
        {
            using var cmd = Command("DELETE FROM leases WHERE job_id = $id AND owner_pid = $pid AND host = $host");
            cmd.Parameters.AddWithValue("$id", jobId);
            cmd.Parameters.AddWithValue("$pid", Environment.ProcessId);
            cmd.Parameters.AddWithValue("$host", Environment.MachineName);
            cmd.ExecuteNonQuery();
        }
    }

    private JobLease? ReadLease(string jobId, SqliteTransaction? tx)
    {
        using var cmd = Command("SELECT owner_pid, host, started_at, heartbeat_at FROM leases WHERE job_id = $id", tx);
        cmd.Parameters.AddWithValue("$id", jobId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new JobLease(jobId, r.GetInt32(0), r.GetString(1), ParseTime(r.GetString(2)), ParseTime(r.GetString(3))) : null;
    }

    private bool IsLeaseAlive(JobLease lease)
    {
        if (Now - lease.HeartbeatAt > LeaseTimeout) return false;
        if (!string.Equals(lease.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)) return true;
        if (lease.OwnerProcessId == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(lease.OwnerProcessId);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static JobRecord ReadJob(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), Enum.Parse<JobStatus>(r.GetString(2)), r.GetString(3), r.GetString(4), r.GetString(5),
        FromJson<Dictionary<string, string>>(r.GetString(6)), r.GetString(7), FromJson<JobOptions>(r.GetString(8)),
        r.GetInt64(9) == 1, r.GetInt64(10), ParseTime(r.GetString(11)), ParseTimeOrNull(r, 12), ParseTimeOrNull(r, 13),
        r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15), r.GetInt64(16) == 1);

    private static Regex WildcardToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
