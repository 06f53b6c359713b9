namespace BatchShip.SandboxCarrier.Shipping;

public sealed record Address(
    IReadOnlyList<string> Lines,
    string? City,
    string? StateProvinceCode,
    string? PostalCode,
    string? CountryCode,
    bool Residential);
