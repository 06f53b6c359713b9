using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tools;

/// <summary>
/// ShipAgent's TypeScript server's shipping_create: flat, friendly arguments (weight and dimensions as JSON numbers),
/// turned into a UPS ShipmentRequest on the server's own account with PDF labels. The reference argument is accepted
/// and never sent to UPS, so no shipment can be found by it. The answer names the label files the server wrote on its
/// own disk (a folder beside the ledger), one per tracking number, and the published total.
/// </summary>
public sealed class ShippingCreateTool(UpsShipApi ups, ServerAccount account, ShipmentLedger ledger) : ISandboxTool
{
    public const string Name = "shipping_create";

    /// <summary>The folder beside the ledger that holds this server's labels.</summary>
    public const string LabelFolderName = "shipagent-labels";

    private static readonly string[] AddressFields = ["name", "attentionName", "phone", "addressLine1", "addressLine2", "city", "stateProvinceCode", "postalCode", "countryCode"];

    public Tool Definition { get; } = new ToolSchema(Name, "Create a UPS shipment and get PDF label")
        .Object("shipper", "Shipper (sender) information")
        .Object("shipTo", "Ship-to (recipient) information")
        .Array("packages", "Array of packages")
        .String("serviceCode", "UPS service code (e.g., \"03\" for Ground, \"01\" for Next Day Air)", required: true)
        .String("description", "Shipment description")
        .String("reference", "Customer reference number")
        .Build();

    public async Task<JsonNode> InvokeAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var input = new ZodArguments(Name, arguments.AsObject());
        var shipper = Address(input, "shipper");
        var shipTo = Address(input, "shipTo");
        var packages = new JsonArray();
        if (input.Array(input.Root, ["packages"]) is { } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (input.Item(list, i, ["packages", i]) is not { } item) continue;
                packages.Add(Package(input, item, i));
            }
        }
        var serviceCode = input.String(input.Root, ["serviceCode"]);
        var description = input.String(input.Root, ["description"], required: false);
        // Read as the schema reads it, then dropped: this server never sends the reference to UPS.
        input.String(input.Root, ["reference"], required: false);
        input.ThrowIfInvalid();

        var body = new JsonObject
        {
            ["ShipmentRequest"] = new JsonObject
            {
                ["Shipment"] = new JsonObject
                {
                    ["Description"] = string.IsNullOrEmpty(description) ? "Shipment" : description,
                    ["Shipper"] = Party(shipper!, account.Number),
                    ["ShipTo"] = Party(shipTo!, null),
                    ["PaymentInformation"] = new JsonObject
                    {
                        ["ShipmentCharge"] = new JsonObject { ["Type"] = "01", ["BillShipper"] = new JsonObject { ["AccountNumber"] = account.Number } },
                    },
                    ["Service"] = new JsonObject { ["Code"] = serviceCode },
                    ["Package"] = packages.Count == 1 ? packages[0]!.DeepClone() : packages,
                },
                ["LabelSpecification"] = new JsonObject { ["LabelImageFormat"] = new JsonObject { ["Code"] = "PDF" } },
            },
        };

        var shipped = await ups.ShipAsync(ShipmentRequestReader.ReadShipRequest(body), cancellationToken).ConfigureAwait(false);
        var paths = await WriteLabelsAsync(shipped, cancellationToken).ConfigureAwait(false);
        return new JsonObject
        {
            ["success"] = true,
            ["trackingNumbers"] = Json.Strings(shipped.Record.TrackingNumbers ?? []),
            ["labelPaths"] = Json.Strings(paths),
            ["totalCharges"] = new JsonObject
            {
                ["currencyCode"] = shipped.Quote.Currency,
                ["monetaryValue"] = Json.Money(shipped.Quote.TotalCharges),
            },
            ["shipmentIdentificationNumber"] = shipped.Record.ShipmentId,
        };
    }

    private static Dictionary<string, string?>? Address(ZodArguments input, string name)
    {
        if (input.Object(input.Root, [name]) is not { } address) return null;
        var optional = new HashSet<string> { "attentionName", "addressLine2" };
        var values = new Dictionary<string, string?>();
        foreach (var field in AddressFields)
            values[field] = field == "countryCode"
                ? input.String(address, [name, field], fallback: "US")
                : input.String(address, [name, field], required: !optional.Contains(field));
        return values;
    }

    private static JsonObject Package(ZodArguments input, JsonObject item, int index)
    {
        var weight = input.Number(item, ["packages", index, "weight"]);
        var length = input.Number(item, ["packages", index, "length"], required: false);
        var width = input.Number(item, ["packages", index, "width"], required: false);
        var height = input.Number(item, ["packages", index, "height"], required: false);
        var packaging = input.String(item, ["packages", index, "packagingType"], fallback: "02");
        var description = input.String(item, ["packages", index, "description"], required: false);

        var package = new JsonObject
        {
            ["Packaging"] = new JsonObject { ["Code"] = packaging },
            ["PackageWeight"] = new JsonObject { ["UnitOfMeasurement"] = new JsonObject { ["Code"] = "LBS" }, ["Weight"] = weight },
        };
        // Like the server: dimensions only when all three are given.
        if (length is not null && width is not null && height is not null)
            package["Dimensions"] = new JsonObject
            {
                ["UnitOfMeasurement"] = new JsonObject { ["Code"] = "IN" }, ["Length"] = length, ["Width"] = width, ["Height"] = height,
            };
        if (!string.IsNullOrEmpty(description)) package["Description"] = description;
        return package;
    }

    private static JsonObject Party(Dictionary<string, string?> address, string? shipperNumber)
    {
        var lines = new JsonArray(address["addressLine1"]);
        if (!string.IsNullOrEmpty(address["addressLine2"])) lines.Add(address["addressLine2"]);
        var party = new JsonObject
        {
            ["Name"] = address["name"],
            ["AttentionName"] = address["attentionName"],
            ["Phone"] = new JsonObject { ["Number"] = address["phone"] },
            ["Address"] = new JsonObject
            {
                ["AddressLine"] = lines,
                ["City"] = address["city"],
                ["StateProvinceCode"] = address["stateProvinceCode"],
                ["PostalCode"] = address["postalCode"],
                ["CountryCode"] = address["countryCode"],
            },
        };
        if (shipperNumber is not null) party["ShipperNumber"] = shipperNumber;
        return party;
    }

    // {tracking}.pdf in one flat folder, overwritten if present, as the server saves them; full paths in the answer.
    private async Task<IReadOnlyList<string>> WriteLabelsAsync(ShippedShipment shipped, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ledger.Path))!, LabelFolderName);
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var (tracking, image) in LabelFactory.Render(shipped.Record, shipped.Format))
        {
            var path = Path.Combine(folder, $"{tracking}.{shipped.Format.ToLowerInvariant()}");
            await File.WriteAllBytesAsync(path, image, cancellationToken).ConfigureAwait(false);
            paths.Add(path);
        }
        return paths;
    }
}
