using System.Text.RegularExpressions;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;

namespace BatchShip.SandboxCarrier.Validation;

/// <summary>Checks one party the way the UPS Ship API does.</summary>
public static partial class AddressRules
{
    private static readonly HashSet<string> CanadianProvinces =
        ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"];

    [GeneratedRegex("^[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]$")]
    private static partial Regex CanadianPostalCode();

    public static void Check(Party party, PartyRole role, bool complete, ValidationResult result)
    {
        CheckText(party.Name, role.Name, $"{role.Label} Name", TextRules.NameMax, required: complete, result);
        CheckText(party.AttentionName, role.Name, $"{role.Label} AttentionName", TextRules.NameMax, required: false, result);

        var address = party.Address;
        var lines = address.Lines.Where(l => !TextRules.IsBlank(l)).ToList();
        if (complete && lines.Count == 0)
            result.Add(role.AddressLine, $"Missing or invalid {role.Label} AddressLine 1");
        if (address.Lines.Count > TextRules.AddressLinesMax)
            result.Add(role.AddressLine, $"{role.Label} AddressLine has more than {TextRules.AddressLinesMax} lines");
        for (var i = 0; i < address.Lines.Count; i++)
            CheckText(address.Lines[i], role.AddressLine, $"{role.Label} AddressLine {i + 1}", TextRules.AddressLineMax, required: false, result);

        CheckText(address.City, role.City, $"{role.Label} City", TextRules.CityMax, required: complete, result);

        var country = address.CountryCode?.Trim().ToUpperInvariant();
        if (country is null || country.Length != 2 || !country.All(char.IsAsciiLetter))
        {
            result.Add(role.Country, $"Missing or invalid {role.Label} CountryCode");
            return;
        }

        var state = address.StateProvinceCode?.Trim().ToUpperInvariant();
        var postal = address.PostalCode?.Trim();
        if (country is "US" or "CA" or "PR")
        {
            if (TextRules.IsBlank(state)) result.Add(role.State, $"Missing or invalid {role.Label} StateProvinceCode");
            if (TextRules.IsBlank(postal)) result.Add(role.PostalCode, $"Missing or invalid {role.Label} PostalCode");
            if (TextRules.IsBlank(state) || TextRules.IsBlank(postal)) return;
        }

        if (country is "US" or "PR")
        {
            var stateKnown = UsZipRanges.IsKnownState(state);
            var postalWellFormed = UsZipRanges.IsWellFormed(postal);
            if (!stateKnown) result.Add(role.State, $"Missing or invalid {role.Label} StateProvinceCode");
            if (!postalWellFormed) result.Add(role.PostalCode, $"Missing or invalid {role.Label} PostalCode");
            if (stateKnown && postalWellFormed && !UsZipRanges.Belongs(state!, postal!))
                result.Add(role.AddressValidation,
                    $"Address Validation Error on {role.Label} address: postal code {postal} does not belong to {state}");
        }
        else if (country == "CA")
        {
            if (!CanadianProvinces.Contains(state!)) result.Add(role.State, $"Missing or invalid {role.Label} StateProvinceCode");
            if (!CanadianPostalCode().IsMatch(postal!)) result.Add(role.PostalCode, $"Missing or invalid {role.Label} PostalCode");
        }

        if (party.Phone is { } phone && !TextRules.IsBlank(phone))
        {
            var digits = phone.Count(char.IsAsciiDigit);
            var ok = country is "US" or "PR" ? digits == 10 || (digits == 11 && phone.TrimStart('+', ' ').StartsWith('1')) : digits is >= 6 and <= 15;
            if (!ok) result.Add(role.Phone, $"Missing or invalid {role.Label} Phone Number");
        }
    }

    public static void CheckText(string? value, string code, string field, int max, bool required, ValidationResult result)
    {
        if (TextRules.IsBlank(value))
        {
            if (required) result.Add(code, $"Missing or invalid {field}");
            return;
        }
        if (TextRules.HasInvalidCharacters(value))
            result.Add(ErrorCodes.InvalidData, $"Invalid data or special characters in {field}");
        else if (value!.Length > max)
            result.Add(code, $"{field} exceeds the maximum length of {max}");
    }
}
