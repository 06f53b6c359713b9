namespace BatchShip.SandboxCarrier.Pricing;

/// <summary>A priced shipment; all amounts are decimal and rounded to cents.</summary>
public sealed record Quote(
    ServiceInfo Service,
    int Zone,
    IReadOnlyList<PackageQuote> Packages,
    decimal BillableWeight,
    decimal TransportationCharges,
    decimal ServiceOptionsCharges,
    decimal TotalCharges,
    decimal NegotiatedTotal,
    string Currency,
    int TransitDays);
