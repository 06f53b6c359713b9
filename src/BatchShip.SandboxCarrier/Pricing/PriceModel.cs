using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;

namespace BatchShip.SandboxCarrier.Pricing;

/// <summary>
/// Deterministic prices: per package base + per-pound rate on the billable weight (greater of
/// actual and dimensional, rounded up to whole pounds), scaled by zone; residential delivery adds a
/// flat surcharge; the negotiated rate is a fixed discount. Same input, same cents, every time.
/// </summary>
public static class PriceModel
{
    public const decimal DimDivisorInches = 139m;
    public const decimal ResidentialSurcharge = 5.15m;
    public const decimal NegotiatedFactor = 0.82m;
    public const decimal ZoneStep = 0.12m;
    private const decimal PoundsPerKilogram = 2.20462m;
    private const decimal CentimetresPerInch = 2.54m;

    public static Quote Price(ShipmentSpec spec, ServiceInfo service)
    {
        var zone = Zone.Between(spec.Origin.CountryCode, spec.Origin.PostalCode, spec.ShipTo.Address.CountryCode, spec.ShipTo.Address.PostalCode);
        var zoneFactor = 1m + ZoneStep * (zone - 2);
        var packages = spec.Packages.Select(p =>
        {
            var billable = BillableWeight(p);
            return new PackageQuote(billable, Round(service.BaseCharge + service.PerPound * billable * zoneFactor));
        }).ToList();

        var transportation = packages.Sum(p => p.Charge);
        var options = spec.ShipTo.Address.Residential ? ResidentialSurcharge : 0m;
        var total = transportation + options;
        var transit = service.FixedTransitDays ?? Math.Clamp(zone - 1, 1, 5);
        var currency = spec.Origin.CountryCode?.ToUpperInvariant() == "CA" ? "CAD" : "USD";
        return new Quote(service, zone, packages, packages.Sum(p => p.BillableWeight), transportation, options,
            total, Round(total * NegotiatedFactor), currency, transit);
    }

    public static decimal BillableWeight(PackageSpec package)
    {
        Json.TryDecimal(package.Weight, out var weight);
        var pounds = package.WeightUnit?.ToUpperInvariant() switch
        {
            "KGS" => weight * PoundsPerKilogram,
            "OZS" => weight / 16m,
            _ => weight,
        };
        var billable = Math.Ceiling(pounds);
        if (package.Dimensions is { } d
            && Json.TryDecimal(d.Length, out var l) && Json.TryDecimal(d.Width, out var w) && Json.TryDecimal(d.Height, out var h))
        {
            var toInches = d.UnitCode?.ToUpperInvariant() == "CM" ? 1m / CentimetresPerInch : 1m;
            var cubicInches = l * toInches * w * toInches * h * toInches;
            billable = Math.Max(billable, Math.Ceiling(cubicInches / DimDivisorInches));
        }
        return Math.Max(1m, billable);
    }

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
