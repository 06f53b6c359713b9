namespace BatchShip.SandboxCarrier.Validation;

/// <summary>Shipping needs complete parties, payment and a label; rating needs only what prices a shipment.</summary>
public enum ValidationMode
{
    Ship,
    Rate,
    Shop,
}
