namespace BatchShip.SandboxCarrier.Shipping;

/// <summary>Shipper, ship-to or ship-from as read from the request; fields stay raw until validated.</summary>
public sealed record Party(
    string? Name,
    string? AttentionName,
    string? ShipperNumber,
    string? Phone,
    Address Address);
