namespace BatchShip.Engine.Jobs;

/// <summary>A row's state in the row protocol.</summary>
public enum RowStatus
{
    Pending,
    InFlight,
    Completed,
    Failed,
    NeedsReview,
    Skipped,
    AlreadyShipped,
    Voided,
}
