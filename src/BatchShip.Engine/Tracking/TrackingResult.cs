using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Tracking;

/// <summary>One row's tracking: the row as the store now has it, or why it could not be tracked.</summary>
public sealed record TrackingResult(RowRecord Row, BatchShipException? Error);
