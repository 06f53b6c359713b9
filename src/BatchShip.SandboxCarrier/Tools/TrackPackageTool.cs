using System.Globalization;
using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tools;

/// <summary>Tracks the sandbox's own shipments (any process sharing the ledger): label created, or voided.</summary>
public sealed class TrackPackageTool(ShipmentLedger ledger) : ISandboxTool
{
    public const string Name = "track_package";

    public Tool Definition { get; } = new ToolSchema(Name, "Track a package by its tracking number (UPS Track API).")
        .String("inquiryNumber", "Inquirynumber", required: true)
        .String("locale", "Locale", "en_US")
        .Build();

    public async Task<JsonNode> InvokeAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var inquiry = arguments.RequiredString("inquiryNumber").Trim().ToUpperInvariant();
        var shipments = await ledger.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var shipment = shipments.LastOrDefault(s => s.TrackingNumbers.Contains(inquiry, StringComparer.OrdinalIgnoreCase))
            ?? throw new CarrierErrorException(CarrierError.Single(404, ErrorCodes.TrackingNotFound, "Tracking Information Not Found"));

        var record = shipment.Created;
        var index = shipment.TrackingNumbers.ToList().FindIndex(t => string.Equals(t, inquiry, StringComparison.OrdinalIgnoreCase));
        var activities = new List<JsonNode> { Activity(shipment.VoidedAt, "V", "Shipment voided by the shipper", "VD", "006", record) };
        if (!shipment.Voided) activities.Clear();
        activities.Add(Activity(record.At, "M", "Shipper created a label, UPS has not received the package yet.", "MP", "003", record));
        var current = activities[0]["status"]!.DeepClone().AsObject();
        current["simplifiedTextDescription"] = shipment.Voided ? "Voided" : "Label Created";

        var package = new JsonObject
        {
            ["trackingNumber"] = shipment.TrackingNumbers[index],
            ["deliveryDate"] = new JsonArray(),
            ["currentStatus"] = current,
            ["activity"] = Json.Array(activities),
            ["packageCount"] = shipment.TrackingNumbers.Count,
            ["service"] = new JsonObject { ["code"] = record.ServiceCode, ["description"] = record.ServiceName },
            ["referenceNumber"] = Json.Array(
                (record.PackageReferences is { } refs && index < refs.Count ? refs[index] : [])
                    .Select(r => (JsonNode?)new JsonObject { ["type"] = "PACKAGE", ["number"] = r })),
            ["weight"] = new JsonObject
            {
                ["weight"] = record.PackageWeights is { } w && index < w.Count ? w[index] : "",
            },
        };
        return new JsonObject
        {
            ["trackResponse"] = new JsonObject
            {
                ["shipment"] = new JsonArray(new JsonObject
                {
                    ["inquiryNumber"] = inquiry,
                    ["package"] = new JsonArray(package),
                }),
            },
        };
    }

    private static JsonObject Activity(string? at, string type, string description, string code, string statusCode, LedgerRecord record)
    {
        var time = DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.UtcDateTime : DateTime.UnixEpoch;
        var origin = record.ShipFrom;
        return new JsonObject
        {
            ["location"] = new JsonObject
            {
                ["address"] = new JsonObject
                {
                    ["city"] = origin?.City,
                    ["stateProvince"] = origin?.State,
                    ["countryCode"] = origin?.Country,
                    ["country"] = origin?.Country,
                },
            },
            ["status"] = new JsonObject { ["type"] = type, ["description"] = description, ["code"] = code, ["statusCode"] = statusCode },
            ["date"] = time.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            ["time"] = time.ToString("HHmmss", CultureInfo.InvariantCulture),
            ["gmtDate"] = time.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            ["gmtTime"] = time.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ["gmtOffset"] = "+00:00",
        };
    }
}
