namespace BatchShip.Engine.Jobs;

/// <summary>A job with its row counts, its cost so far, its runners and whether they are all gone.</summary>
public sealed record JobSummary(
    JobRecord Job,
    IReadOnlyDictionary<RowStatus, long> Counts,
    decimal TotalCost,
    string? Currency,
    JobLease? Lease,
    bool IsInterrupted)
{
    /// <summary>The status to show people: a Running job whose runner is gone is <c>Interrupted</c>.</summary>
    public string DisplayStatus => IsInterrupted ? "Interrupted" : Job.Status.ToString();

    /// <summary>
    /// Whether a plain Resume continues it: Failed, Stopped, Interrupted, or Created with its rows fully staged (it never
    /// ran). A CompletedWithErrors job is left out: its rows were refused for a reason, and retrying them (-RetryFailed)
    /// is a person's decision, not something a nightly task should repeat. Running, finished, cancelled and half-staged
    /// jobs are what Resume refuses.
    /// </summary>
    public bool IsResumable => Job.StagingComplete
        && (IsInterrupted || Job.Status is JobStatus.Failed or JobStatus.Stopped or JobStatus.Created);

    /// <summary>Completed rows whose cost the carrier never told (a shipment found again by reference after its
    /// create's answer was lost: label recovery carries no charges). <see cref="TotalCost"/> leaves them out, so it is a
    /// lower bound whenever this is above zero.</summary>
    public long CostUnknownRows { get; init; }

    /// <summary>The runners running the job now (one lease each), oldest first; <see cref="Lease"/> is the first of them.</summary>
    public IReadOnlyList<JobLease> Runners { get; init; } = [];

    public long Count(RowStatus status) => Counts.TryGetValue(status, out var n) ? n : 0;
}
