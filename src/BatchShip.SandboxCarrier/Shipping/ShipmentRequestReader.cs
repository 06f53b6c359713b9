using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Protocol;

namespace BatchShip.SandboxCarrier.Shipping;

/// <summary>Reads the UPS ship and rate request bodies without judging them; validation comes next.</summary>
public static class ShipmentRequestReader
{
    public static ShipmentSpec ReadShipRequest(JsonNode body)
    {
        var request = Json.At(body, "ShipmentRequest")
            ?? throw new CarrierErrorException(CarrierError.Single(400, ErrorCodes.InvalidData, "Missing ShipmentRequest container"));
        return Read(request, packagingField: "Packaging");
    }

    public static ShipmentSpec ReadRateRequest(JsonNode body)
    {
        var request = Json.At(body, "RateRequest")
            ?? throw new CarrierErrorException(CarrierError.Single(400, ErrorCodes.InvalidData, "Missing RateRequest container"));
        // Rating calls the packaging "PackagingType"; accept the shipping name too.
        return Read(request, packagingField: "PackagingType");
    }

    private static ShipmentSpec Read(JsonNode request, string packagingField)
    {
        var shipment = Json.At(request, "Shipment") ?? new JsonObject();
        var payment = Json.At(shipment, "PaymentInformation") ?? Json.At(shipment, "PaymentDetails");
        var charges = Json.ObjectOrArray(Json.At(payment, "ShipmentCharge"))
            .Select(c => new PaymentCharge(
                Json.Text(c, "Type"),
                Json.Text(c, "BillShipper", "AccountNumber")
                    ?? Json.Text(c, "BillReceiver", "AccountNumber")
                    ?? Json.Text(c, "BillThirdParty", "AccountNumber")))
            .ToList();

        return new ShipmentSpec(
            ReadParty(Json.At(shipment, "Shipper")),
            ReadParty(Json.At(shipment, "ShipTo")),
            Json.At(shipment, "ShipFrom") is { } from ? ReadParty(from) : null,
            Json.Text(shipment, "Service", "Code"),
            Json.ObjectOrArray(Json.At(shipment, "Package")).Select(p => ReadPackage(p, packagingField)).ToList(),
            ReadReferences(Json.At(shipment, "ReferenceNumber")),
            charges,
            payment is not null,
            Json.Text(request, "Request", "TransactionReference", "CustomerContext"),
            Json.Text(request, "LabelSpecification", "LabelImageFormat", "Code"),
            Json.Text(shipment, "Description"));
    }

    private static Party ReadParty(JsonNode? node)
    {
        var address = Json.At(node, "Address");
        return new Party(
            Json.Text(node, "Name"),
            Json.Text(node, "AttentionName"),
            Json.Text(node, "ShipperNumber"),
            Json.Text(node, "Phone", "Number"),
            new Address(
                Json.TextList(Json.At(address, "AddressLine")),
                Json.Text(address, "City"),
                Json.Text(address, "StateProvinceCode"),
                Json.Text(address, "PostalCode"),
                Json.Text(address, "CountryCode"),
                Json.Has(address, "ResidentialAddressIndicator")));
    }

    private static PackageSpec ReadPackage(JsonNode? node, string packagingField)
    {
        var packaging = Json.At(node, packagingField) ?? Json.At(node, "Packaging") ?? Json.At(node, "PackagingType");
        var dims = Json.At(node, "Dimensions");
        return new PackageSpec(
            Json.Text(packaging, "Code"),
            Json.Text(node, "PackageWeight", "UnitOfMeasurement", "Code"),
            Json.Text(node, "PackageWeight", "Weight"),
            dims is null ? null : new Dimensions(
                Json.Text(dims, "UnitOfMeasurement", "Code"),
                Json.Text(dims, "Length"),
                Json.Text(dims, "Width"),
                Json.Text(dims, "Height")),
            ReadReferences(Json.At(node, "ReferenceNumber")));
    }

    private static IReadOnlyList<string> ReadReferences(JsonNode? node) =>
        Json.ObjectOrArray(node).Select(r => Json.Text(r, "Value") ?? "").ToList();
}
