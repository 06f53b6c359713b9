using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Store;

public sealed partial class BatchStore
{
    private const string JobColumns = "job_id, name, status, template_name, template_source, carrier, shipper_json, label_directory, options_json, staging_complete, row_count, created_at, started_at, finished_at, last_error_code, last_error_message, stop_requested";

    /// <summary>Creates a job in <see cref="JobStatus.Created"/> with no rows yet.</summary>
    public JobRecord CreateJob(NewJob spec)
    {
        var id = JobIds.New();
        var now = Now;
        var labels = string.IsNullOrWhiteSpace(spec.LabelDirectory)
            ? Path.Combine(Folder, LabelsFolderName, id)
            : Path.GetFullPath(spec.LabelDirectory);
        var name = string.IsNullOrWhiteSpace(spec.Name) ? $"{spec.TemplateName} {now:yyyy-MM-dd HH:mm}" : spec.Name.Trim();
        Write(tx =>
        {
            using (var cmd = Command($"INSERT INTO jobs({JobColumns}) VALUES (@id, @name, 'Created', @tn, @ts, @carrier, @shipper, @labels, @options, 0, 0, @now, NULL, NULL, NULL, NULL, 0)", tx))
            {
                cmd.Bind("@id", id);
                cmd.Bind("@name", name);
                cmd.Bind("@tn", spec.TemplateName);
                cmd.Bind("@ts", spec.TemplateSource);
                cmd.Bind("@carrier", spec.Carrier);
                cmd.Bind("@shipper", ToJson(spec.Shipper));
                cmd.Bind("@labels", labels);
                cmd.Bind("@options", ToJson(spec.Options));
                cmd.Bind("@now", FormatTime(now));
                cmd.ExecuteNonQuery();
            }
            AppendAudit(tx, id, null, "JobCreated", new { name, template = spec.TemplateName, carrier = spec.Carrier });
        });
        return GetJob(id)!;
    }

    /// <summary>The job, or null.</summary>
    public JobRecord? GetJob(string jobId)
    {
        return Read(c =>
        {
            using var cmd = Command($"SELECT {JobColumns} FROM jobs WHERE job_id = @id", c);
            cmd.Bind("@id", jobId);
            using var r = cmd.ExecuteReader();
            return r.Read() ? ReadJob(r) : null;
        });
    }

    /// <summary>The job, or E-4006.</summary>
    public JobRecord RequireJob(string jobId) =>
        GetJob(jobId) ?? throw new BatchShipException(ErrorCatalog.NotFound, $"There is no job {jobId} in the store at {Folder}.", jobId: jobId);

    // The job as a write transaction sees it, or E-4006.
    private JobRecord RequireJob(DbTransaction tx, string jobId)
    {
        using var cmd = Command($"SELECT {JobColumns} FROM jobs WHERE job_id = @id", tx);
        cmd.Bind("@id", jobId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadJob(r) : throw new BatchShipException(ErrorCatalog.NotFound, $"There is no job {jobId} in the store at {Folder}.", jobId: jobId);
    }

    /// <summary>Jobs with their counts, newest first.</summary>
    public IReadOnlyList<JobSummary> ListJobs(JobQuery query)
    {
        var jobs = Read(c =>
        {
            var sql = $"SELECT {JobColumns} FROM jobs";
            using var cmd = Command("", c);
            if (query.JobIds is { Count: > 0 })
            {
                var names = query.JobIds.Select((id, i) => { cmd.Bind($"@j{i}", id); return $"@j{i}"; });
                sql += $" WHERE job_id IN ({string.Join(", ", names)})";
            }
            cmd.CommandText = sql + $" ORDER BY created_at DESC, {_dialect.JobInsertionOrder} DESC";
            using var r = cmd.ExecuteReader();
            var found = new List<JobRecord>();
            while (r.Read()) found.Add(ReadJob(r));
            return found;
        });
        var pattern = query.NamePattern is null ? null : WildcardToRegex(query.NamePattern);
        var result = new List<JobSummary>();
        foreach (var job in jobs)
        {
            if (pattern is not null && !pattern.IsMatch(job.Name)) continue;
            var summary = Summarize(job);
            if (query.Statuses is { Count: > 0 } && !query.Statuses.Contains(summary.DisplayStatus, StringComparer.OrdinalIgnoreCase)) continue;
            if (query.Resumable && !summary.IsResumable) continue;
            result.Add(summary);
            if (query.Newest is int n && result.Count >= n) break;
        }
        return result;
    }

    /// <summary>One job with its counts, or E-4006.</summary>
    public JobSummary Summarize(string jobId) => Summarize(RequireJob(jobId));

    private JobSummary Summarize(JobRecord job)
    {
        var (counts, total, unknownCost, currency, leases) = Read(c =>
        {
            var counts = CountRows(c, job.JobId);
            decimal total = 0;
            long unknownCost = 0;
            string? currency = null;
            using (var cmd = Command("SELECT cost, currency FROM rows WHERE job_id = @id AND status = 'Completed'", c))
            {
                cmd.Bind("@id", job.JobId);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    // An unknown cost is not zero: it is counted apart, never added as 0.
                    if (r.IsDBNull(0)) { unknownCost++; continue; }
                    total += decimal.Parse(r.GetString(0), System.Globalization.CultureInfo.InvariantCulture);
                    currency ??= r.IsDBNull(1) ? null : r.GetString(1);
                }
            }
            return (counts, total, unknownCost, currency, ReadLeases(job.JobId, c));
        });
        var runners = leases.Where(IsLeaseAlive).ToList();
        var interrupted = job.Status == JobStatus.Running && runners.Count == 0;
        return new JobSummary(job, counts, total, currency, runners.FirstOrDefault() ?? leases.FirstOrDefault(), interrupted)
        {
            CostUnknownRows = unknownCost,
            Runners = runners,
        };
    }

    /// <summary>Moves a job through the transition table, recording the error that ended it when there is one.
    /// A run passes its <paramref name="run"/> token: the change is then refused (E-4009) once another run took over.</summary>
    public void SetJobStatus(string jobId, JobStatus from, JobStatus to, string? errorCode = null, string? errorMessage = null, RunToken? run = null)
    {
        Transitions.EnsureAllowed(jobId, from, to);
        Write(tx =>
        {
            if (run is not null) EnsureEpoch(tx, run);
            MoveJob(tx, jobId, from, to, errorCode, errorMessage);
        });
    }

    private void MoveJob(DbTransaction tx, string jobId, JobStatus from, JobStatus to, string? errorCode, string? errorMessage)
    {
        var finished = to is JobStatus.Completed or JobStatus.CompletedWithErrors or JobStatus.Failed or JobStatus.Stopped or JobStatus.Cancelled;
        using (var cmd = Command("""
            UPDATE jobs SET status = @to,
                started_at = CASE WHEN @to = 'Running' THEN @now ELSE started_at END,
                finished_at = CASE WHEN @finished = 1 THEN @now ELSE NULL END,
                last_error_code = CASE WHEN @to = 'Running' THEN last_error_code ELSE @code END,
                last_error_message = CASE WHEN @to = 'Running' THEN last_error_message ELSE @message END,
                stop_requested = CASE WHEN @to = 'Running' THEN 0 ELSE stop_requested END,
                cancel_requested = CASE WHEN @to = 'Running' THEN 0 ELSE cancel_requested END,
                run_error_code = NULL, run_error_message = NULL
            WHERE job_id = @id AND status = @from
            """, tx))
        {
            cmd.Bind("@to", to.ToString());
            cmd.Bind("@from", from.ToString());
            cmd.Bind("@now", FormatTime(Now));
            cmd.Bind("@finished", finished ? 1 : 0);
            cmd.Bind("@code", (object?)errorCode ?? DBNull.Value);
            cmd.Bind("@message", (object?)errorMessage ?? DBNull.Value);
            cmd.Bind("@id", jobId);
            if (cmd.ExecuteNonQuery() != 1)
                throw new BatchShipException(ErrorCatalog.JobState, $"Job {jobId} is no longer {from}; it was changed by another process.", jobId: jobId);
        }
        AppendAudit(tx, jobId, null, "JobStatusChanged", new { from = from.ToString(), to = to.ToString(), errorCode, errorMessage });
    }

    /// <summary>Removes a job that never ran (its batch was declined at the prompt, or staging failed).</summary>
    public void DeleteCreatedJob(string jobId) => Write(tx =>
    {
        using (var cmd = Command("DELETE FROM jobs WHERE job_id = @id AND status = 'Created'", tx))
        {
            cmd.Bind("@id", jobId);
            if (cmd.ExecuteNonQuery() != 1)
                throw new BatchShipException(ErrorCatalog.JobState, $"Job {jobId} has run; it cannot be removed.", jobId: jobId);
        }
        AppendAudit(tx, jobId, null, "JobDiscarded", null);
    });

    /// <summary>Asks the job's runners, wherever they are, to stop after their in-flight rows. A job that is not running
    /// (finished, never started, or Interrupted: its runners are gone) has nothing to stop: E-4004.</summary>
    public void RequestStop(string jobId) => Write(tx =>
    {
        var job = RequireJob(tx, jobId);
        if (job.Status != JobStatus.Running || LiveLeases(jobId, tx).Count == 0)
            throw new BatchShipException(ErrorCatalog.JobState,
                $"Job {jobId} is {(job.Status == JobStatus.Running ? "Interrupted (its runner is gone)" : job.Status.ToString())}, not running; there is nothing to stop.", jobId: jobId);
        using (var cmd = Command("UPDATE jobs SET stop_requested = 1 WHERE job_id = @id", tx))
        {
            cmd.Bind("@id", jobId);
            cmd.ExecuteNonQuery();
        }
        AppendAudit(tx, jobId, null, "StopRequested", null);
    });

    /// <summary>The error a runner of the job stopped on while others ran on (fail-fast, a systemic error), or null:
    /// the job's other runners stop dispatching too, and the last one ends the job with it.</summary>
    public BatchShipException? RunErrorOf(string jobId)
    {
        return Read(c =>
        {
            using var cmd = Command("SELECT run_error_code, run_error_message FROM jobs WHERE job_id = @id", c);
            cmd.Bind("@id", jobId);
            using var r = cmd.ExecuteReader();
            return r.Read() ? RecordedRunError(jobId, Str(r, 0), Str(r, 1)) : null;
        });
    }

    private static BatchShipException? RecordedRunError(string jobId, string? code, string? message) =>
        code is null ? null : new BatchShipException(ErrorCatalog.Get(code), message ?? code, jobId: jobId);

    /// <summary>True when Stop-BatchShipment asked this job to stop.</summary>
    public bool IsStopRequested(string jobId)
    {
        return Read(c =>
        {
            using var cmd = Command("SELECT stop_requested FROM jobs WHERE job_id = @id", c);
            cmd.Bind("@id", jobId);
            return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L) == 1;
        });
    }

    private Dictionary<RowStatus, long> CountRows(Db tx, string jobId)
    {
        var counts = new Dictionary<RowStatus, long>();
        using var cmd = Command("SELECT status, COUNT(*) FROM rows WHERE job_id = @id GROUP BY status", tx);
        cmd.Bind("@id", jobId);
        using var r = cmd.ExecuteReader();
        while (r.Read()) counts[Enum.Parse<RowStatus>(r.GetString(0))] = r.GetInt64(1);
        return counts;
    }

    private static JobRecord ReadJob(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), Enum.Parse<JobStatus>(r.GetString(2)), r.GetString(3), r.GetString(4), r.GetString(5),
        FromJson<Dictionary<string, string>>(r.GetString(6)), r.GetString(7), FromJson<JobOptions>(r.GetString(8)),
        r.GetInt64(9) == 1, r.GetInt64(10), ParseTime(r.GetString(11)), ParseTimeOrNull(r, 12), ParseTimeOrNull(r, 13),
        r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15), r.GetInt64(16) == 1);

    private static Regex WildcardToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
