using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Checks the -Shipper keys the built-in templates need, before the first row is rendered.</summary>
public static class ShipperValidator
{
    internal static readonly string[] RequiredKeys = ["Name", "ShipperNumber", "Address1", "City", "State", "PostalCode", "Country"];
    internal static readonly string[] OptionalKeys = ["AttentionName", "Phone", "Address2", "Email"];
    private const int CityLength = 30;

    /// <summary>
    /// Returns the shipper with keys in canonical case (looked up case-insensitively), values trimmed and
    /// normalized with the functions rows use (country and state codes, ZIP, phone digits), and optional keys present
    /// as empty when absent. A missing, unknown or invalid key is E-2007 naming the key and what to fix.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Validate(IReadOnlyDictionary<string, string?> shipper)
    {
        ArgumentNullException.ThrowIfNull(shipper);
        var given = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in shipper)
        {
            if (!given.TryAdd(key.Trim(), (value ?? "").Trim()))
                throw Invalid(key, $"Shipper key '{key}' is given twice (keys are case-insensitive); keep one.");
        }

        // A misspelt key (Phnoe) would otherwise be dropped silently and the label printed without it.
        var known = RequiredKeys.Concat(OptionalKeys).ToArray();
        foreach (var key in given.Keys)
        {
            if (known.Contains(key, StringComparer.OrdinalIgnoreCase)) continue;
            var meant = ClosestMatch.Find(key, known);
            throw Invalid(key, meant is null
                ? $"Unknown shipper key '{key}'; -Shipper takes {string.Join(", ", known)}."
                : $"Unknown shipper key '{key}': did you mean '{meant}'?");
        }

        foreach (var key in RequiredKeys)
            if (!given.TryGetValue(key, out var v) || v.Length == 0)
                throw Invalid(key, $"Shipper key '{key}' is missing or empty; -Shipper needs {string.Join(", ", RequiredKeys)}.");

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in given)
            result[Canonical(key)] = value;
        foreach (var key in OptionalKeys)
            result.TryAdd(key, "");

        var number = result["ShipperNumber"].ToUpperInvariant();
        if (number.Length != 6 || !number.All(char.IsAsciiLetterOrDigit))
            throw Invalid("ShipperNumber", $"Shipper key 'ShipperNumber' must be the 6 letters or digits of the UPS account number, got {ValueError.Quote(number)}.");
        result["ShipperNumber"] = number;

        foreach (var key in new[] { "Name", "AttentionName", "Address1", "Address2" })
            if (result[key].Length > TextFit.FieldLength)
                throw Invalid(key, $"Shipper key '{key}' has {result[key].Length} characters; UPS takes at most {TextFit.FieldLength}.");
        if (result["City"].Length > CityLength)
            throw Invalid("City", $"Shipper key 'City' has {result["City"].Length} characters; UPS takes at most {CityLength}.");

        result["Country"] = Convert("Country", () => CountryCodes.Normalize(result["Country"]));
        var country = result["Country"];
        result["State"] = Convert("State", () => StateCodes.Normalize(result["State"], country));
        result["PostalCode"] = Convert("PostalCode", () => PostalCodes.Normalize(result["PostalCode"], country));
        result["Phone"] = Convert("Phone", () => PhoneNumbers.Normalize(result["Phone"], country));

        var email = result["Email"];
        if (email.Length > 0 && (email.IndexOf('@') is <= 0 || email.EndsWith('@') || email.Any(char.IsWhiteSpace)))
            throw Invalid("Email", $"Shipper key 'Email' is not an e-mail address: {ValueError.Quote(email)}.");

        return result;
    }

    private static string Canonical(string key) =>
        RequiredKeys.Concat(OptionalKeys).First(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    private static string Convert(string key, Func<string> convert)
    {
        try
        {
            return convert();
        }
        catch (BatchShipException e)
        {
            throw Invalid(key, $"Shipper key '{key}': {e.Message}");
        }
    }

    private static BatchShipException Invalid(string key, string message) => new(ErrorCatalog.Shipper, message, key);
}
