using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Jobs;

/// <summary>
/// The one transition table. Every state change of a job or a row is checked here before the store
/// writes it (and the store's UPDATE also requires the old state, so two writers cannot both win).
/// </summary>
public static class Transitions
{
    private static readonly HashSet<(JobStatus From, JobStatus To)> Job =
    [
        (JobStatus.Created, JobStatus.Running),
        (JobStatus.Running, JobStatus.Completed),
        (JobStatus.Running, JobStatus.CompletedWithErrors),
        (JobStatus.Running, JobStatus.Failed),
        (JobStatus.Running, JobStatus.Stopped),
        (JobStatus.Failed, JobStatus.Running),        // Resume
        (JobStatus.Stopped, JobStatus.Running),       // Resume
        (JobStatus.CompletedWithErrors, JobStatus.Running), // Resume -RetryFailed
        (JobStatus.Running, JobStatus.Running),       // Resume of an Interrupted job: its runner is gone
        // Cancel: never from a finished job (nothing is left to abandon). A running job ends Cancelled when its run
        // sees the request; an Interrupted one (stored Running, runner gone) is cancelled at once.
        (JobStatus.Created, JobStatus.Cancelled),
        (JobStatus.Failed, JobStatus.Cancelled),
        (JobStatus.Stopped, JobStatus.Cancelled),
        (JobStatus.Running, JobStatus.Cancelled),
    ];

    private static readonly HashSet<(RowStatus From, RowStatus To)> Row =
    [
        (RowStatus.Pending, RowStatus.InFlight),       // step 2: durable before the carrier call
        (RowStatus.Pending, RowStatus.Failed),         // the request could not be rendered: no carrier call
        (RowStatus.Pending, RowStatus.Skipped),        // its job was cancelled: never shipped
        (RowStatus.Pending, RowStatus.AlreadyShipped), // its natural key was shipped by another row
        (RowStatus.InFlight, RowStatus.Completed),
        (RowStatus.InFlight, RowStatus.Failed),        // a definite refusal
        (RowStatus.InFlight, RowStatus.NeedsReview),   // nobody can tell whether it shipped
        (RowStatus.InFlight, RowStatus.Pending),       // proven absent at the carrier: safe to send again
        (RowStatus.Completed, RowStatus.Voided),
        (RowStatus.Failed, RowStatus.Pending),         // retry
        (RowStatus.NeedsReview, RowStatus.Completed),  // resolved: it did ship
        (RowStatus.NeedsReview, RowStatus.Pending),    // resolved: it did not ship
    ];

    /// <summary>True when the table allows the job change.</summary>
    public static bool IsAllowed(JobStatus from, JobStatus to) => Job.Contains((from, to));

    /// <summary>True when the table allows the row change.</summary>
    public static bool IsAllowed(RowStatus from, RowStatus to) => Row.Contains((from, to));

    /// <summary>Throws E-4004 unless the job change is allowed.</summary>
    public static void EnsureAllowed(string jobId, JobStatus from, JobStatus to)
    {
        if (!IsAllowed(from, to))
            throw new BatchShipException(ErrorCatalog.JobState,
                $"Job {jobId} cannot go from {from} to {to}.", jobId: jobId);
    }

    /// <summary>Throws E-4004 unless the row change is allowed.</summary>
    public static void EnsureAllowed(string jobId, long rowNumber, RowStatus from, RowStatus to)
    {
        if (!IsAllowed(from, to))
            throw new BatchShipException(ErrorCatalog.JobState,
                $"Row {rowNumber} of job {jobId} cannot go from {from} to {to}.", rowNumber: rowNumber, jobId: jobId);
    }
}
