using System.Text.Json;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>
/// The engine's guarantee that every create request carries the row's reference where the carrier is asked about
/// it later: in a package ReferenceNumber (what a lookup by reference searches) and in the request's
/// CustomerContext (what the carrier's answers echo). A request without both could never be reconciled: every
/// unknown outcome would look absent and be sent again. So a template that leaves either out is refused before
/// anything is sent. A carrier without a lookup tool is never asked about a reference (an unknown outcome goes to
/// NeedsReview whatever the request carried), and its server may have no place for one (ShipAgent drops it, roscoej
/// puts it where UPS refuses it within the US): its templates are not held to this.
/// </summary>
internal static class RequestReference
{
    public const string PackageSnippet = "\"ReferenceNumber\": [{\"Value\": \"{{ reference }}\"}]";
    public const string ContextSnippet = "\"TransactionReference\": {\"CustomerContext\": \"{{ reference }}\"}";

    /// <summary>Renders the row's create request and checks that it carries the row's reference when the carrier looks
    /// references up (E-4003 otherwise) and asks for the label format of -LabelFormat (E-2014 otherwise).</summary>
    public static string Render(ShipmentTemplate template, TemplateInput input, bool carrierLooksUpReferences = true) =>
        template.Render(input, request =>
        {
            if (carrierLooksUpReferences) Ensure(request, input.Reference, template.Name, input.RowNumber);
            LabelFormatCheck.Ensure(request, input.LabelFormat, template.Name, input.RowNumber);
        });

    /// <summary>Throws E-4003 naming what is missing unless the rendered request carries <paramref name="reference"/> in both places.</summary>
    public static void Ensure(JsonElement request, string reference, string templateName, long rowNumber)
    {
        var inPackage = false;
        var inContext = false;
        Walk(request, inPackage: false, ref inPackage, ref inContext, reference);
        if (inPackage && inContext) return;
        var missing = (inPackage, inContext) switch
        {
            (false, false) => $"a package ReferenceNumber ({PackageSnippet} in each Package) and the CustomerContext ({ContextSnippet} in Request)",
            (false, true) => $"a package ReferenceNumber: add {PackageSnippet} to each Package",
            _ => $"the CustomerContext: add {ContextSnippet} to Request",
        };
        throw new BatchShipException(ErrorCatalog.Template,
            $"Template '{templateName}' does not put the row's reference ({reference}) in {missing}. Without it a lost answer cannot be looked up, so nothing is sent.",
            "reference", rowNumber);
    }

    private static void Walk(JsonElement element, bool inPackage, ref bool packageFound, ref bool contextFound, string reference)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (inPackage && property.NameEquals("ReferenceNumber") && Carries(property.Value, reference)) packageFound = true;
                    if (property.NameEquals("CustomerContext") && property.Value.ValueKind == JsonValueKind.String
                        && string.Equals(property.Value.GetString()?.Trim(), reference, StringComparison.Ordinal)) contextFound = true;
                    Walk(property.Value, inPackage || property.NameEquals("Package"), ref packageFound, ref contextFound, reference);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Walk(item, inPackage, ref packageFound, ref contextFound, reference);
                break;
        }
    }

    // ReferenceNumber is one object or an array of them, each with a Value.
    private static bool Carries(JsonElement referenceNumber, string reference) => referenceNumber.ValueKind switch
    {
        JsonValueKind.Array => referenceNumber.EnumerateArray().Any(r => Carries(r, reference)),
        JsonValueKind.Object => referenceNumber.TryGetProperty("Value", out var v) && v.ValueKind == JsonValueKind.String
            && string.Equals(v.GetString()?.Trim(), reference, StringComparison.Ordinal),
        _ => false,
    };
}
