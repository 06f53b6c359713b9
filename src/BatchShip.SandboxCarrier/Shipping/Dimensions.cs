namespace BatchShip.SandboxCarrier.Shipping;

public sealed record Dimensions(string? UnitCode, string? Length, string? Width, string? Height);
