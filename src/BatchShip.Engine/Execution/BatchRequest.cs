using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Execution;

/// <summary>What Start-BatchShipment asks for, before any row is seen.</summary>
public sealed record BatchRequest(
    string Template,
    IReadOnlyDictionary<string, string?> Shipper,
    string Carrier,
    string? Name,
    string? LabelDirectory,
    JobOptions Options);
