using BatchShip.SandboxCarrier.Validation;

namespace BatchShip.SandboxCarrier.Pricing;

/// <summary>
/// A coarse stand-in for UPS zone charts: inside the US the zone grows with the distance between
/// the three-digit ZIP prefixes (2 to 8); any lane crossing a border is zone 9.
/// </summary>
public static class Zone
{
    public const int International = 9;

    public static int Between(string? originCountry, string? originPostal, string? destinationCountry, string? destinationPostal)
    {
        if (!ServiceCatalog.IsDomesticLane(originCountry, destinationCountry)) return International;
        if (originCountry?.ToUpperInvariant() is "US" or "PR"
            && UsZipRanges.TryPrefix(originPostal, out var from)
            && UsZipRanges.TryPrefix(destinationPostal, out var to))
            return 2 + Math.Min(6, Math.Abs(from - to) / 120);
        // Domestic lanes outside the US: no prefix geometry, use a middle zone.
        return 4;
    }
}
