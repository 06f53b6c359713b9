namespace BatchShip.SandboxCarrier.Tracking;

/// <summary>
/// Builds and checks UPS "1Z" tracking numbers: 1Z + shipper number (6) + service indicator (2)
/// + package id (7) + check digit.
/// </summary>
public static class TrackingNumber
{
    public const int Length = 18;

    /// <summary>Package ids are a bijection of the ledger sequence so numbers look varied but never collide.</summary>
    private const long PackageIdSpace = 10_000_000;
    private const long Multiplier = 7_919;     // coprime to 10^7, so the mapping is one-to-one
    private const long Offset = 1_234_567;

    public static string Create(string shipperNumber, string serviceIndicator, long sequence)
    {
        if (shipperNumber.Length != 6) throw new ArgumentException("Shipper number must have 6 characters.", nameof(shipperNumber));
        if (serviceIndicator.Length != 2) throw new ArgumentException("Service indicator must have 2 characters.", nameof(serviceIndicator));
        var packageId = ((sequence % PackageIdSpace) * Multiplier + Offset) % PackageIdSpace;
        var body = string.Concat(shipperNumber.ToUpperInvariant(), serviceIndicator, packageId.ToString("D7", System.Globalization.CultureInfo.InvariantCulture));
        return "1Z" + body + CheckDigit(body);
    }

    /// <summary>Check digit over the 15 characters after "1Z".</summary>
    public static int CheckDigit(string body)
    {
        if (body.Length != 15) throw new ArgumentException("The body after 1Z has 15 characters.", nameof(body));
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = char.ToUpperInvariant(body[i]);
            int value;
            if (c is >= '0' and <= '9') value = c - '0';
            else if (c is >= 'A' and <= 'Z') value = (c - 63) % 10;
            else throw new ArgumentException($"Invalid character '{c}' in tracking number.", nameof(body));
            // Positions are 1-based in the UPS description: even positions count twice.
            sum += (i % 2 == 1) ? value * 2 : value;
        }
        return (10 - sum % 10) % 10;
    }

    public static bool IsValid(string candidate)
    {
        if (candidate.Length != Length || !candidate.StartsWith("1Z", StringComparison.OrdinalIgnoreCase)) return false;
        var body = candidate.Substring(2, 15);
        if (!body.All(char.IsAsciiLetterOrDigit)) return false;
        return CheckDigit(body) == candidate[17] - '0';
    }
}
