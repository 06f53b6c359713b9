namespace BatchShip.SandboxCarrier.Shipping;

/// <summary>One ShipmentCharge entry: who pays which part (01 transportation, 02 duties).</summary>
public sealed record PaymentCharge(string? Type, string? AccountNumber);
