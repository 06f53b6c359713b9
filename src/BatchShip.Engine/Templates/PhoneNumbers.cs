using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Phone numbers as UPS wants them: digits only, US numbers as exactly 10 digits.</summary>
internal static class PhoneNumbers
{
    /// <summary>
    /// Keeps the digits. A US number given with its country code (+1, 1-, 001) loses it so that 10 digits remain.
    /// Empty stays empty, because the phone is optional for most shipments. An extension (x123, ext. 123) is dropped.
    /// </summary>
    public static string Normalize(string? value, string? country = "US")
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0) return "";

        // Spreadsheets and CRMs append extensions in many forms; UPS has no field for them.
        var ext = IndexOfExtension(text);
        if (ext >= 0) text = text[..ext];

        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (text.Any(c => char.IsLetter(c)))
            throw ValueError.Of(ErrorCatalog.Phone, $"Phone {ValueError.Quote(value)} contains letters; give digits only.");

        var isUs = string.IsNullOrWhiteSpace(country) || CountryCodes.IsUnitedStates(country);
        if (!isUs)
        {
            if (digits.Length is < 4 or > 15)
                throw ValueError.Of(ErrorCatalog.Phone, $"Phone {ValueError.Quote(value)} must have between 4 and 15 digits.");
            return digits;
        }

        if (digits.Length == 11 && digits[0] == '1') digits = digits[1..];
        else if (digits.Length == 13 && digits.StartsWith("001", StringComparison.Ordinal)) digits = digits[3..];
        if (digits.Length != 10)
            throw ValueError.Of(ErrorCatalog.Phone,
                $"Phone {ValueError.Quote(value)} has {digits.Length} digits; a US phone number needs 10 (area code and number).");
        return digits;
    }

    private static int IndexOfExtension(string text)
    {
        foreach (var marker in new[] { " ext", "ext.", " x", "#" })
        {
            var i = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (i > 0) return i;
        }
        return -1;
    }
}
