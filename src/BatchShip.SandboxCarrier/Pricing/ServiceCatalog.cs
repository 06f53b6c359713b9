namespace BatchShip.SandboxCarrier.Pricing;

public static class ServiceCatalog
{
    public static readonly IReadOnlyList<ServiceInfo> All =
    [
        new("01", "UPS Next Day Air", true, 28.50m, 4.10m, 1, "01"),
        new("02", "UPS 2nd Day Air", true, 18.20m, 2.60m, 2, "02"),
        new("03", "UPS Ground", true, 9.75m, 0.95m, null, "03"),
        new("12", "UPS 3 Day Select", true, 14.10m, 1.90m, 3, "12"),
        new("13", "UPS Next Day Air Saver", true, 25.40m, 3.70m, 1, "13"),
        new("14", "UPS Next Day Air Early", true, 62.00m, 4.60m, 1, "15"),
        new("59", "UPS 2nd Day Air A.M.", true, 21.30m, 2.90m, 2, "59"),
        new("07", "UPS Worldwide Express", false, 65.00m, 6.20m, 2, "07"),
        new("08", "UPS Worldwide Expedited", false, 55.00m, 5.10m, 4, "08"),
        new("11", "UPS Standard", false, 22.00m, 1.80m, 5, "11"),
        new("54", "UPS Worldwide Express Plus", false, 95.00m, 7.00m, 1, "54"),
        new("65", "UPS Worldwide Saver", false, 60.00m, 5.80m, 3, "65"),
    ];

    private static readonly Dictionary<string, ServiceInfo> ByCode = All.ToDictionary(s => s.Code);

    public static ServiceInfo? Find(string? code) => code is not null && ByCode.TryGetValue(code.Trim(), out var s) ? s : null;

    /// <summary>US and Puerto Rico form one domestic network, as at UPS.</summary>
    public static bool IsDomesticLane(string? originCountry, string? destinationCountry)
    {
        static string Network(string? c) => c?.ToUpperInvariant() is "US" or "PR" ? "US" : c?.ToUpperInvariant() ?? "";
        return Network(originCountry) == Network(destinationCountry);
    }

    public static bool Serves(ServiceInfo service, string? originCountry, string? destinationCountry) =>
        service.Domestic == IsDomesticLane(originCountry, destinationCountry);
}
