using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>What the carrier's tracking tool said about one package.</summary>
public abstract record TrackOutcome
{
    private TrackOutcome() { }

    /// <summary>The package's current status (e.g. "Label Created", "Delivered") and, once delivered, when.</summary>
    public sealed record Tracked(string Status, DateTimeOffset? DeliveredAt) : TrackOutcome;

    /// <summary>The carrier could not say (no such package, an error, a timeout).</summary>
    public sealed record Failed(BatchShipException Error) : TrackOutcome;
}
