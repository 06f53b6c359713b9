using System.Globalization;

namespace BatchShip.SandboxCarrier.Shipping;

/// <summary>UPS API versions like "v2409"; some response shapes depend on them.</summary>
public static class ApiVersion
{
    public const string DefaultShipping = "v2409";

    /// <summary>Versions from v2403 on return PackageResults as an array even for one package.</summary>
    public const int ArraysAlways = 2403;

    public static int Number(string? version)
    {
        var digits = version?.TrimStart('v', 'V');
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.Parse(DefaultShipping[1..], CultureInfo.InvariantCulture);
    }
}
