namespace BatchShip.Engine.Jobs;

/// <summary>What happened when a row asked to go in flight.</summary>
public enum BeginKind
{
    /// <summary>The row is InFlight: call the carrier.</summary>
    Started,
    /// <summary>Another live row already shipped the natural key; this row is now AlreadyShipped.</summary>
    AlreadyShipped,
    /// <summary>Another row with the key is InFlight or NeedsReview; this row stays Pending.</summary>
    Held,
    /// <summary>The row was not Pending any more (another runner moved it).</summary>
    NotPending,
}

/// <summary>The answer of <c>BatchStore.TryBeginInFlight</c>, naming the other row when there is one.</summary>
public sealed record BeginResult(BeginKind Kind, string? OtherJobId = null, long? OtherRowNumber = null, string? OtherTrackingNumbers = null);
