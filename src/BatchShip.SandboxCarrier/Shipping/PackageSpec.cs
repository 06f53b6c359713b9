namespace BatchShip.SandboxCarrier.Shipping;

public sealed record PackageSpec(
    string? PackagingCode,
    string? WeightUnit,
    string? Weight,
    Dimensions? Dimensions,
    IReadOnlyList<string> References);
