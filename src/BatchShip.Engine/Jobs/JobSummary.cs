namespace BatchShip.Engine.Jobs;

/// <summary>A job with its row counts, its cost so far and whether its runner is gone.</summary>
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

    public long Count(RowStatus status) => Counts.TryGetValue(status, out var n) ? n : 0;
}
