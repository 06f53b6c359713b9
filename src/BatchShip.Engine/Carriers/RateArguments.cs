using System.Text.Json;
using System.Text.Json.Nodes;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Derives the arguments of a rate call (<c>rate_shipment</c>: a UPS RateRequest) from the create arguments a template
/// rendered (<c>create_shipment</c>: a UPS ShipmentRequest). UPS Rate's Shipment takes the Ship API's Shipper, ShipTo,
/// ShipFrom, Service and Package shapes, so one template prices and buys the same shipment: a second template per
/// carrier would be one more thing to keep in step, and a quote that drifts from what is bought is worse than none.
/// </summary>
public static class RateArguments
{
    /// <summary>The rate option that prices the requested service only (not a comparison of every service).</summary>
    public const string RequestOption = "Rate";

    // The parts of a Ship API Shipment that mean the same in a Rate API Shipment. Payment is renamed (Ship:
    // PaymentInformation, Rate: PaymentDetails); everything else (Description, ReferenceNumber, labels) does not price.
    private static readonly string[] SameInRate =
        ["ShipmentIndicationType", "AlternateDeliveryAddress", "Service", "NumOfPieces", "DocumentsOnlyIndicator",
         "ShipmentServiceOptions", "ShipmentRatingOptions", "InvoiceLineTotal"];

    private static readonly string[] PackageSameInRate =
        ["Dimensions", "PackageWeight", "PackageServiceOptions", "Commodity", "LargePackageIndicator", "AdditionalHandlingIndicator",
         "SimpleRate", "OversizeIndicator", "DimWeight"];

    /// <summary>The rate tool's arguments (a JSON object) for the shipment in <paramref name="createArgumentsJson"/>.</summary>
    /// <exception cref="BatchShipException">E-4003: the rendered arguments hold no request_body.ShipmentRequest.Shipment.</exception>
    public static string FromCreateArguments(string createArgumentsJson)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(createArgumentsJson); }
        catch (JsonException ex) { throw Unusable($"it is not JSON ({ex.Message})"); }
        var request = root?["request_body"]?["ShipmentRequest"] as JsonObject ?? throw Unusable("it has no request_body.ShipmentRequest");
        var shipment = request["Shipment"] as JsonObject ?? throw Unusable("it has no request_body.ShipmentRequest.Shipment");

        var rated = new JsonObject();
        foreach (var party in new[] { "Shipper", "ShipTo", "ShipFrom" })
            if (shipment[party] is JsonObject p) rated[party] = Party(p, withShipperNumber: party == "Shipper");
        if (shipment["PaymentInformation"] is { } payment) rated["PaymentDetails"] = payment.DeepClone();
        foreach (var name in SameInRate)
            if (shipment[name] is { } value) rated[name] = value.DeepClone();
        rated["Package"] = shipment["Package"] switch
        {
            JsonArray packages => new JsonArray(packages.Select(p => (JsonNode?)Package(p)).ToArray()),
            { } single => Package(single),
            null => throw Unusable("its Shipment has no Package"),
        };

        var rateRequest = new JsonObject { ["RequestOption"] = RequestOption };
        if (request["Request"]?["TransactionReference"] is { } reference) rateRequest["TransactionReference"] = reference.DeepClone();
        var arguments = new JsonObject
        {
            ["requestoption"] = RequestOption,
            ["request_body"] = new JsonObject { ["RateRequest"] = new JsonObject { ["Request"] = rateRequest, ["Shipment"] = rated } },
        };
        // The same API version the create asks for, when the template names one; else the server's default.
        if (root!["version"] is JsonValue version) arguments["version"] = version.DeepClone();
        return arguments.ToJsonString();
    }

    // Rate's parties have no phone, e-mail or tax id: only what places the shipment.
    private static JsonObject Party(JsonObject party, bool withShipperNumber)
    {
        var result = new JsonObject();
        foreach (var name in withShipperNumber ? new[] { "Name", "AttentionName", "ShipperNumber", "Address" } : ["Name", "AttentionName", "Address"])
            if (party[name] is { } value) result[name] = value.DeepClone();
        return result;
    }

    // Shipping calls the packaging "Packaging", rating "PackagingType"; the reference numbers do not price.
    private static JsonObject Package(JsonNode? package)
    {
        var result = new JsonObject();
        if (package is not JsonObject p) return result;
        if ((p["Packaging"] ?? p["PackagingType"]) is { } packaging) result["PackagingType"] = packaging.DeepClone();
        foreach (var name in PackageSameInRate)
            if (p[name] is { } value) result[name] = value.DeepClone();
        return result;
    }

    private static BatchShipException Unusable(string why) =>
        new(ErrorCatalog.Template, $"The template's rendered request cannot be rated: {why}.", "Template");
}
