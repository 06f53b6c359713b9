namespace BatchShip.SandboxCarrier.Pricing;

/// <summary>
/// One UPS service: API code, name, whether it stays inside one country, its price curve and the
/// two characters it contributes to a 1Z number (not always the API code).
/// </summary>
public sealed record ServiceInfo(
    string Code,
    string Name,
    bool Domestic,
    decimal BaseCharge,
    decimal PerPound,
    int? FixedTransitDays,
    string TrackingIndicator);
