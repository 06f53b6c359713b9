using System.Text.Json;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Reads the answer of a UPS street-level address validation (XAV: <c>XAVResponse</c> with one of
/// <c>ValidAddressIndicator</c>, <c>AmbiguousAddressIndicator</c>, <c>NoCandidatesIndicator</c> and its
/// <c>Candidate</c> list), and its errors, in every format the UPS MCP servers use.
/// </summary>
public static class AddressValidationReader
{
    /// <summary>Classifies a validation tool's result from its error flag and text.</summary>
    public static AddressValidationOutcome Read(bool isError, string text)
    {
        if (isError || CarrierErrorReader.LooksLikeError(text))
            return new AddressValidationOutcome.Failed(CarrierErrorTranslation.ToException(CarrierErrorReader.Read(text), "The carrier could not validate the address"));

        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException)
        {
            return Unreadable("it is not JSON");
        }
        using (doc)
        {
            var response = doc.RootElement.Prop("XAVResponse") ?? doc.RootElement;
            if (response.Prop("ValidAddressIndicator") is not null) return new AddressValidationOutcome.Valid();
            if (response.Prop("NoCandidatesIndicator") is not null) return new AddressValidationOutcome.Invalid();
            if (response.Prop("AmbiguousAddressIndicator") is not null)
            {
                var candidates = response.Prop("Candidate").Items().Select(Describe).Where(c => c.Length > 0).ToList();
                return candidates.Count == 0 ? new AddressValidationOutcome.Invalid() : new AddressValidationOutcome.Ambiguous(candidates);
            }
            return Unreadable("it has none of ValidAddressIndicator, AmbiguousAddressIndicator and NoCandidatesIndicator");
        }
    }

    private static AddressValidationOutcome.Failed Unreadable(string why) =>
        new(new BatchShipException(ErrorCatalog.UnknownCarrierError, $"The carrier's address validation answer cannot be read: {why}."));

    // "123 MAIN ST, SPRINGFIELD IL 62701-1234 US": what a person needs to pick a candidate and correct the row.
    private static string Describe(JsonElement candidate)
    {
        var key = candidate.Prop("AddressKeyFormat") ?? candidate;
        var lines = key.Prop("AddressLine").Items().Select(l => ((JsonElement?)l).Text()).Where(l => !string.IsNullOrWhiteSpace(l));
        if (key.Prop("AddressLine") is { ValueKind: JsonValueKind.String } single) lines = [single.GetString()];
        var zip = key.Prop("PostcodePrimaryLow").Text() ?? "";
        if (key.Prop("PostcodeExtendedLow").Text() is { Length: > 0 } extension) zip += "-" + extension;
        var place = string.Join(" ", new[] { key.Prop("PoliticalDivision2").Text(), key.Prop("PoliticalDivision1").Text(), zip, key.Prop("CountryCode").Text() }
            .Where(p => !string.IsNullOrWhiteSpace(p)));
        return string.Join(", ", lines.Append(place).Where(p => !string.IsNullOrWhiteSpace(p)));
    }
}
