using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>Postal codes, with US ZIP codes repaired after a spreadsheet has treated them as numbers.</summary>
internal static class PostalCodes
{
    /// <summary>
    /// US: 5-digit ZIP or ZIP+4 (<c>02134</c>, <c>02134-1234</c>); leading zeros that a spreadsheet dropped are
    /// restored (<c>2134</c> → <c>02134</c>, <c>21341234</c> → <c>02134-1234</c>). Elsewhere: trimmed and upper-cased.
    /// Empty stays empty (the template decides whether the column is required).
    /// </summary>
    /// <remarks>With <paramref name="stateCode"/> (a two-letter code as <see cref="StateCodes.Normalize"/> gives it), a US
    /// ZIP code must also belong to that state by its first three digits, else E-2001: a ZIP typed against the wrong
    /// state is found before anything is sent (and by -WhatIf), not refused by the carrier afterwards.</remarks>
    public static string Normalize(string? value, string? country = "US", string? stateCode = null)
    {
        var zip = NormalizeZip(value, country);
        if (zip.Length == 0 || string.IsNullOrWhiteSpace(stateCode) || !IsUs(country) || StateCodes.ZipBelongsTo(zip, stateCode)) return zip;
        var owner = StateCodes.StateOfZip(zip);
        throw ValueError.Of(ErrorCatalog.PostalCode,
            $"Postal code {ValueError.Quote(value)} does not belong to state {stateCode}" +
            (owner is null ? $" (no state has ZIP codes starting with {zip[..3]})." : $" (ZIP codes starting with {zip[..3]} are in {owner})."));
    }

    private static bool IsUs(string? country) => string.IsNullOrWhiteSpace(country) || CountryCodes.IsUnitedStates(country);

    private static string NormalizeZip(string? value, string? country)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0) return "";
        if (!IsUs(country)) return text.ToUpperInvariant();

        var dash = text.IndexOf('-');
        if (dash >= 0)
        {
            var zip = text[..dash].Trim();
            var plus4 = text[(dash + 1)..].Trim();
            if (AllDigits(zip) && zip.Length is >= 3 and <= 5 && AllDigits(plus4) && plus4.Length == 4)
                return zip.PadLeft(5, '0') + "-" + plus4;
        }
        else if (AllDigits(text))
        {
            // 3 to 5 digits: a ZIP whose leading zeros were lost (00501 is a real ZIP). 7 to 9: the same for ZIP+4.
            if (text.Length is >= 3 and <= 5) return text.PadLeft(5, '0');
            if (text.Length is >= 7 and <= 9)
            {
                var full = text.PadLeft(9, '0');
                return full[..5] + "-" + full[5..];
            }
        }
        throw ValueError.Of(ErrorCatalog.PostalCode,
            $"Postal code {ValueError.Quote(value)} is not a US ZIP code; give 5 digits (02134) or ZIP+4 (02134-1234).");
    }

    private static bool AllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}
