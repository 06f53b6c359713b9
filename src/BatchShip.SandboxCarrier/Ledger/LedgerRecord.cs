using BatchShip.SandboxCarrier.Labels;

namespace BatchShip.SandboxCarrier.Ledger;

/// <summary>
/// One line of the ledger. A "create" line carries everything needed to answer later lookups
/// (including re-rendering labels) from another process; a "void" line marks a shipment voided.
/// </summary>
public sealed record LedgerRecord
{
    public const string CreateType = "create";
    public const string VoidType = "void";

    public required string Type { get; init; }
    public required string ShipmentId { get; init; }
    public required string At { get; init; }

    public IReadOnlyList<string>? TrackingNumbers { get; init; }
    public IReadOnlyList<string>? References { get; init; }
    public IReadOnlyList<IReadOnlyList<string>>? PackageReferences { get; init; }
    public IReadOnlyList<string>? PackageWeights { get; init; }
    public string? CustomerContext { get; init; }
    public string? Cost { get; init; }
    public string? PublishedCost { get; init; }
    public string? TransportationCharges { get; init; }
    public string? ServiceOptionsCharges { get; init; }
    public string? BillingWeight { get; init; }
    public string? Currency { get; init; }
    public string? ShipperNumber { get; init; }
    public string? ServiceCode { get; init; }
    public string? ServiceName { get; init; }
    public string? LabelFormat { get; init; }
    public long Sequence { get; init; }
    public LabelAddress? ShipTo { get; init; }
    public LabelAddress? ShipFrom { get; init; }
}
