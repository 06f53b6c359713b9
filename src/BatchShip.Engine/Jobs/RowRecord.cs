namespace BatchShip.Engine.Jobs;

/// <summary>A row as the store keeps it: its input exactly as it came, and everything the protocol learnt.</summary>
public sealed record RowRecord(
    string JobId,
    long RowNumber,
    IReadOnlyList<KeyValuePair<string, string>> Input,
    string? NaturalKey,
    string Reference,
    string? RequestHash,
    RowStatus Status,
    IReadOnlyList<string> TrackingNumbers,
    string? ShipmentId,
    decimal? Cost,
    string? Currency,
    IReadOnlyList<string> LabelPaths,
    string? ErrorCode,
    string? ErrorMessage,
    string? ErrorField,
    string? RelatedJobId,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>From when a lookup that finds nothing proves the row's create absent at the carrier: its InFlight time
    /// plus the send deadline plus the call timeout, set when it went in flight. Null for rows never sent.</summary>
    public DateTimeOffset? AbsentAfter { get; init; }

    /// <summary>Under -GroupBy: the row number of the group's first row, which ships the group's one shipment for
    /// every row of it (its own number for that row). Null for rows not grouped.</summary>
    public long? GroupRow { get; init; }

    /// <summary>True for a row that ships with another row of its group instead of on its own.</summary>
    public bool ShipsWithLeader => GroupRow is { } leader && leader != RowNumber;

    /// <summary>Under -PackagePerRow: the tracking number of this row's own package of its order's shipment (the
    /// shipment's numbers are <see cref="TrackingNumbers"/>); null otherwise.</summary>
    public string? PackageTrackingNumber { get; init; }

    /// <summary>The package's latest status at the carrier (e.g. "Label Created", "Delivered"), as
    /// Update-BatchShipmentTracking last read it; null until tracked.</summary>
    public string? DeliveryStatus { get; init; }

    /// <summary>When the carrier delivered the package, once it has.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>When the row's tracking was last read.</summary>
    public DateTimeOffset? TrackedAt { get; init; }
}
