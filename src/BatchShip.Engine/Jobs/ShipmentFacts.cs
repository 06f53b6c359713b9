namespace BatchShip.Engine.Jobs;

/// <summary>What the store records of a completed row.</summary>
public sealed record ShipmentFacts(string ShipmentId, IReadOnlyList<string> TrackingNumbers, decimal? Cost, string? Currency, IReadOnlyList<string> LabelPaths)
{
    /// <summary>Under -PackagePerRow: each row of the order → the tracking number of its own package; null otherwise.</summary>
    public IReadOnlyDictionary<long, string>? PackageTrackingByRow { get; init; }
}
