namespace BatchShip.SandboxCarrier.Shipping;

public sealed record Dimensions(string? UnitCode, string? Length, string? Width, string? Height);

public sealed record PackageSpec(
    string? PackagingCode,
    string? WeightUnit,
    string? Weight,
    Dimensions? Dimensions,
    IReadOnlyList<string> References);
