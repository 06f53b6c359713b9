namespace BatchShip.Engine.Jobs;

/// <summary>What the store records of a completed row.</summary>
public sealed record ShipmentFacts(string ShipmentId, IReadOnlyList<string> TrackingNumbers, decimal? Cost, string? Currency, IReadOnlyList<string> LabelPaths);
