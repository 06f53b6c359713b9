using System.Globalization;
using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;
using BatchShip.SandboxCarrier.Validation;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tools;

/// <summary>
/// Street-level validation like UPS XAV (US and Puerto Rico only): Valid when the ZIP belongs to the
/// state, Ambiguous with two repaired candidates when it does not, NoCandidates when nothing fits.
/// </summary>
public sealed class ValidateAddressTool : ISandboxTool
{
    public const string Name = "validate_address";

    public Tool Definition { get; } = new ToolSchema(Name, "Validate a street address (UPS Address Validation, street level).")
        .String("addressLine1", "Addressline1", required: true)
        .String("politicalDivision1", "Politicaldivision1", required: true)
        .String("politicalDivision2", "Politicaldivision2", required: true)
        .String("zipPrimary", "Zipprimary", required: true)
        .String("countryCode", "Countrycode", required: true)
        .String("addressLine2", "Addressline2", "")
        .String("urbanization", "Urbanization", "")
        .String("zipExtended", "Zipextended", "")
        .Build();

    public Task<JsonNode> InvokeAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var line1 = arguments.RequiredString("addressLine1").Trim();
        var state = arguments.RequiredString("politicalDivision1").Trim().ToUpperInvariant();
        var city = arguments.RequiredString("politicalDivision2").Trim();
        var zip = arguments.RequiredString("zipPrimary").Trim();
        var country = arguments.RequiredString("countryCode").Trim().ToUpperInvariant();
        var line2 = arguments.OptionalString("addressLine2")?.Trim();
        var urbanization = arguments.OptionalString("urbanization")?.Trim();
        var zipExtended = arguments.OptionalString("zipExtended")?.Trim();

        var lines = new[] { line1, line2 }.Where(l => !string.IsNullOrEmpty(l)).Select(l => l!.ToUpperInvariant()).ToList();
        var zip5 = zip.Length >= 5 ? zip[..5] : zip;
        var candidates = new List<JsonNode>();
        string indicator;

        var usable = country is "US" or "PR" && lines.Count > 0 && city.Length > 0 && !TextRules.HasInvalidCharacters(line1 + city);
        if (!usable || (!UsZipRanges.IsWellFormed(zip5) && !UsZipRanges.IsKnownState(state)))
        {
            indicator = "NoCandidatesIndicator";
        }
        else if (UsZipRanges.IsKnownState(state) && UsZipRanges.IsWellFormed(zip5) && UsZipRanges.Belongs(state, zip5))
        {
            indicator = "ValidAddressIndicator";
            candidates.Add(Candidate(lines, city, state, zip5, Extension(zipExtended, lines, zip5), country, urbanization));
        }
        else
        {
            // Offer both repairs: keep the state and fix the ZIP, or keep the ZIP and fix the state.
            indicator = "AmbiguousAddressIndicator";
            if (UsZipRanges.IsKnownState(state) && UsZipRanges.FirstZipOf(state) is { } stateZip)
                candidates.Add(Candidate(lines, city, state, stateZip, Extension(null, lines, stateZip), country, urbanization));
            if (UsZipRanges.IsWellFormed(zip5) && UsZipRanges.StateOf(zip5) is { } zipState)
                candidates.Add(Candidate(lines, city, zipState, zip5, Extension(zipExtended, lines, zip5), country, urbanization));
            if (candidates.Count == 0) indicator = "NoCandidatesIndicator";
        }

        var response = new JsonObject
        {
            ["Response"] = UpsShapes.Response(null),
            [indicator] = "",
        };
        if (candidates.Count > 0) response["Candidate"] = Json.Array(candidates);
        JsonNode result = new JsonObject { ["XAVResponse"] = response };
        return Task.FromResult(result);
    }

    /// <summary>A stable ZIP+4 extension derived from the street, so repeated calls agree.</summary>
    private static string Extension(string? given, IReadOnlyList<string> lines, string zip)
    {
        if (given is { Length: 4 } && given.All(char.IsAsciiDigit)) return given;
        var hash = 17;
        foreach (var c in string.Join('|', lines) + zip) hash = unchecked(hash * 31 + c);
        return (Math.Abs(hash % 9000) + 1000).ToString(CultureInfo.InvariantCulture);
    }

    private static JsonObject Candidate(IReadOnlyList<string> lines, string city, string state, string zip, string extension, string country, string? urbanization)
    {
        var key = new JsonObject
        {
            ["AddressLine"] = Json.Strings(lines),
            ["PoliticalDivision2"] = city.ToUpperInvariant(),
            ["PoliticalDivision1"] = state,
            ["PostcodePrimaryLow"] = zip,
            ["PostcodeExtendedLow"] = extension,
            ["Region"] = $"{city.ToUpperInvariant()} {state} {zip}-{extension}",
            ["CountryCode"] = country,
        };
        if (!string.IsNullOrEmpty(urbanization)) key["Urbanization"] = urbanization.ToUpperInvariant();
        return new JsonObject
        {
            ["AddressClassification"] = new JsonObject { ["Code"] = "0", ["Description"] = "Unknown" },
            ["AddressKeyFormat"] = key,
        };
    }
}
