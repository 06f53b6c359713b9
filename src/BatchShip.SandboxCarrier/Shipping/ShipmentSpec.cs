namespace BatchShip.SandboxCarrier.Shipping;

/// <summary>A ShipmentRequest (or the shipment part of a RateRequest) read into plain values.</summary>
public sealed record ShipmentSpec(
    Party Shipper,
    Party ShipTo,
    Party? ShipFrom,
    string? ServiceCode,
    IReadOnlyList<PackageSpec> Packages,
    IReadOnlyList<string> ShipmentReferences,
    IReadOnlyList<PaymentCharge> Charges,
    bool HasPaymentInformation,
    string? CustomerContext,
    string? LabelFormat,
    string? Description)
{
    /// <summary>Goods leave from ShipFrom when given, else from the shipper's address.</summary>
    public Address Origin => ShipFrom?.Address ?? Shipper.Address;
}
