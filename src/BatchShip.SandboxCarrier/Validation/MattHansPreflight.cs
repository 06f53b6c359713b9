using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;

namespace BatchShip.SandboxCarrier.Validation;

/// <summary>
/// The checks matt-hans/ups-mcp makes before it calls UPS (a subset of its rules): a shipment leaving the US without
/// customs forms is refused with STRUCTURAL_FIELDS_REQUIRED (a form cannot supply them), and missing required fields
/// with ELICITATION_UNSUPPORTED (the client cannot be asked for them). Each names the fields in <c>missing[]</c>.
/// </summary>
public static class MattHansPreflight
{
    private const string Shipment = "ShipmentRequest.Shipment";

    public static void Check(JsonObject body, ShipmentSpec spec)
    {
        var destination = spec.ShipTo.Address.CountryCode?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(destination) && destination is not ("US" or "PR")
            && !Json.Has(body, "ShipmentRequest", "Shipment", "ShipmentServiceOptions", "InternationalForms"))
        {
            throw new ServerErrorException(Payload("STRUCTURAL_FIELDS_REQUIRED",
                "Required fields cannot be collected through a form; add them to request_body.", "structural",
                [($"{Shipment}.ShipmentServiceOptions.InternationalForms", "international_forms",
                    "International forms (commercial invoice with products) are required for shipments to " + destination)]));
        }

        var missing = new List<(string, string, string)>();
        void Require(string? value, string path, string key, string prompt)
        {
            if (string.IsNullOrWhiteSpace(value)) missing.Add(($"{Shipment}.{path}", key, prompt));
        }
        Require(spec.Shipper.Name, "Shipper.Name", "shipper_name", "Shipper name");
        Require(spec.Shipper.ShipperNumber, "Shipper.ShipperNumber", "shipper_number", "Shipper account number");
        Require(spec.ShipTo.Name, "ShipTo.Name", "ship_to_name", "Recipient name");
        Require(spec.ShipTo.Address.Lines.FirstOrDefault(), "ShipTo.Address.AddressLine", "ship_to_address_line_1", "Recipient street address");
        Require(spec.ShipTo.Address.City, "ShipTo.Address.City", "ship_to_city", "Recipient city");
        Require(destination, "ShipTo.Address.CountryCode", "ship_to_country_code", "Recipient country code");
        if (destination is "US" or "CA" or "PR")
        {
            Require(spec.ShipTo.Address.StateProvinceCode, "ShipTo.Address.StateProvinceCode", "ship_to_state", "Recipient state or province code");
            Require(spec.ShipTo.Address.PostalCode, "ShipTo.Address.PostalCode", "ship_to_postal_code", "Recipient postal code");
        }
        Require(spec.ServiceCode, "Service.Code", "service_code", "UPS service");
        for (var i = 0; i < spec.Packages.Count; i++)
            Require(spec.Packages[i].Weight, $"Package[{i}].PackageWeight.Weight", $"package_{i + 1}_weight", $"Package {i + 1} weight");

        if (missing.Count > 0)
            throw new ServerErrorException(Payload("ELICITATION_UNSUPPORTED",
                "Missing required fields and the client does not support form elicitation.", "unsupported", missing));
    }

    private static JsonObject Payload(string code, string message, string reason, IEnumerable<(string DotPath, string FlatKey, string Prompt)> missing) => new()
    {
        ["code"] = code,
        ["message"] = message,
        ["reason"] = reason,
        ["missing"] = Json.Array(missing.Select(m => (JsonNode?)new JsonObject { ["dot_path"] = m.DotPath, ["flat_key"] = m.FlatKey, ["prompt"] = m.Prompt })),
    };
}
