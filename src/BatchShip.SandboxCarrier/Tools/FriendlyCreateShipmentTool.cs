using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tools;

/// <summary>
/// roscoej/ups-mcp's create_shipment: friendly arguments (service, shipFrom, shipTo, packages[] with JSON numbers,
/// description, referenceNumber, labelFormat) turned into a UPS ShipmentRequest on the server's own account; the
/// answer is UPS's ShipmentResponse as it came. referenceNumber goes to the shipment-level ReferenceNumber (and the
/// CustomerContext), which UPS refuses for a shipment within the US (120541).
/// </summary>
public sealed class FriendlyCreateShipmentTool(UpsShipApi ups, ServerAccount account) : ISandboxTool
{
    public const string Name = "create_shipment";

    private static readonly string[] Packagings = ["02", "01", "03", "04", "21", "24", "25", "2a", "2b", "2c"];
    private static readonly string[] LabelFormats = ["GIF", "EPL", "ZPL", "SPL", "STARPL"];

    public Tool Definition { get; } = new ToolSchema(Name,
            "Create a UPS shipment and generate a shipping label. Returns tracking number, charges, and label image (base64-encoded GIF by default).")
        .String("service", "UPS service code (e.g. \"03\" for Ground, \"01\" for Next Day Air)", "03")
        .Object("shipFrom", "Origin/sender address")
        .Object("shipTo", "Destination/recipient address")
        .Array("packages", "Array of packages (1-200)")
        .String("description", "Shipment description")
        .String("referenceNumber", "Your reference number for this shipment")
        .String("labelFormat", "Label image format", "GIF", oneOf: LabelFormats)
        .Build();

    public async Task<JsonNode> InvokeAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var input = new ZodArguments(Name, arguments.AsObject());
        var service = input.String(input.Root, ["service"], fallback: "03");
        var shipFrom = Address(input, "shipFrom");
        var shipTo = Address(input, "shipTo");
        var packages = new JsonArray();
        if (input.Array(input.Root, ["packages"], minimum: 1) is { } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (input.Item(list, i, ["packages", i]) is not { } item) continue;
                packages.Add(Package(input, item, i));
            }
        }
        var description = input.String(input.Root, ["description"], required: false);
        var reference = input.String(input.Root, ["referenceNumber"], required: false);
        var labelFormat = input.Enum(input.Root, ["labelFormat"], LabelFormats, "GIF");
        input.ThrowIfInvalid();

        var shipper = shipFrom!.DeepClone().AsObject();
        shipper["ShipperNumber"] = account.Number;
        var shipment = new JsonObject
        {
            ["Description"] = description ?? "",
            ["Shipper"] = shipper,
            ["ShipTo"] = shipTo,
            ["ShipFrom"] = shipFrom,
            ["PaymentInformation"] = new JsonObject
            {
                ["ShipmentCharge"] = new JsonArray(new JsonObject { ["Type"] = "01", ["BillShipper"] = new JsonObject { ["AccountNumber"] = account.Number } }),
            },
            ["Service"] = new JsonObject { ["Code"] = service, ["Description"] = "" },
            ["Package"] = packages,
        };
        if (!string.IsNullOrEmpty(reference))
            shipment["ReferenceNumber"] = new JsonObject { ["Code"] = "PO", ["Value"] = reference };
        var body = new JsonObject
        {
            ["ShipmentRequest"] = new JsonObject
            {
                ["Request"] = new JsonObject
                {
                    ["RequestOption"] = "nonvalidate",
                    ["TransactionReference"] = new JsonObject { ["CustomerContext"] = reference ?? "" },
                },
                ["Shipment"] = shipment,
                ["LabelSpecification"] = new JsonObject
                {
                    ["LabelImageFormat"] = new JsonObject { ["Code"] = labelFormat, ["Description"] = "" },
                    ["LabelStockSize"] = new JsonObject { ["Height"] = "6", ["Width"] = "4" },
                },
            },
        };

        var shipped = await ups.ShipAsync(ShipmentRequestReader.ReadShipRequest(body), cancellationToken).ConfigureAwait(false);
        return UpsShipApi.ShipmentResponse(shipped, ApiVersion.Number(ApiVersion.DefaultShipping));
    }

    // The UPS party the server builds from one friendly address: attention defaults to the name, lines without blanks.
    private static JsonObject? Address(ZodArguments input, string name)
    {
        if (input.Object(input.Root, [name]) is not { } address) return null;
        string? Field(string field, bool required = true) => input.String(address, [name, field], required);
        var contact = Field("name");
        var attention = Field("attentionName", required: false);
        var phone = Field("phone", required: false);
        var lines = new JsonArray();
        foreach (var line in new[] { Field("addressLine1"), Field("addressLine2", false), Field("addressLine3", false) })
            if (!string.IsNullOrEmpty(line)) lines.Add(line);
        return new JsonObject
        {
            ["Name"] = contact,
            ["AttentionName"] = attention ?? contact,
            ["Phone"] = new JsonObject { ["Number"] = phone ?? "" },
            ["Address"] = new JsonObject
            {
                ["AddressLine"] = lines,
                ["City"] = Field("city"),
                ["StateProvinceCode"] = Field("stateProvinceCode"),
                ["PostalCode"] = Field("postalCode"),
                ["CountryCode"] = Field("countryCode"),
            },
        };
    }

    private static JsonObject Package(ZodArguments input, JsonObject item, int index)
    {
        var weight = input.Number(item, ["packages", index, "weight"], positive: true);
        var length = input.Number(item, ["packages", index, "length"], required: false, positive: true);
        var width = input.Number(item, ["packages", index, "width"], required: false, positive: true);
        var height = input.Number(item, ["packages", index, "height"], required: false, positive: true);
        var packaging = input.Enum(item, ["packages", index, "packaging"], Packagings, "02");
        var description = input.String(item, ["packages", index, "description"], required: false);

        var package = new JsonObject
        {
            ["Packaging"] = new JsonObject { ["Code"] = packaging, ["Description"] = "" },
            ["PackageWeight"] = new JsonObject
            {
                ["UnitOfMeasurement"] = new JsonObject { ["Code"] = "LBS", ["Description"] = "Pounds" }, ["Weight"] = weight,
            },
            ["Description"] = description ?? "",
        };
        // Like the server: a length alone stands for a cube.
        if (length is not null)
            package["Dimensions"] = new JsonObject
            {
                ["UnitOfMeasurement"] = new JsonObject { ["Code"] = "IN", ["Description"] = "Inches" },
                ["Length"] = length, ["Width"] = width ?? length, ["Height"] = height ?? length,
            };
        return package;
    }
}
