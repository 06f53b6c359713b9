using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;
using BatchShip.SandboxCarrier.Validation;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tools;

/// <summary>
/// Label recovery by tracking number or by reference + shipper number. Besides the UPS fields it
/// returns the charges, so a client that lost a create response can rebuild the shipment.
/// </summary>
public sealed class RecoverLabelTool(ShipmentLedger ledger, FaultInjector faults) : ISandboxTool
{
    public const string Name = "recover_label";

    public Tool Definition { get; } = new ToolSchema(Name,
            "Recover the labels of an existing shipment. request_body is a UPS LabelRecoveryRequest with TrackingNumber or ReferenceValues { ReferenceNumber { Value }, ShipperNumber }.")
        .Object("request_body", "Request Body")
        .String("version", "Version", "v1")
        .Build();

    public async Task<JsonNode> InvokeAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var body = arguments.RequiredObject("request_body");
        faults.BeforeLookup();

        var request = Json.At(body, "LabelRecoveryRequest") ?? body;
        // UPS's LabelRecoveryRequest requires Request, and LabelSpecification for an ordinary shipment: a client that
        // leaves them out would see every real lookup refused, so the sandbox refuses it too.
        foreach (var container in new[] { "Request", "LabelSpecification" })
        {
            if (Json.At(request, container) is not JsonObject)
                throw CarrierErrorException.Refusal(ErrorCodes.RequestSchema,
                    $"The request does not match the schema: LabelRecoveryRequest.{container} is required");
        }
        var trackingNumber = Json.Text(request, "TrackingNumber")?.Trim();
        var reference = Json.Text(request, "ReferenceValues", "ReferenceNumber", "Value")?.Trim();
        var shipperNumber = Json.Text(request, "ReferenceValues", "ShipperNumber")?.Trim();
        var requestedFormat = Json.Text(request, "LabelSpecification", "LabelImageFormat", "Code");

        var shipments = await ledger.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        List<ShipmentEntry> matches;
        if (!string.IsNullOrEmpty(trackingNumber))
        {
            matches = shipments.Where(s => s.TrackingNumbers.Contains(trackingNumber, StringComparer.OrdinalIgnoreCase)).ToList();
        }
        else if (!string.IsNullOrEmpty(reference) && !string.IsNullOrEmpty(shipperNumber))
        {
            matches = faults.Plan.LookupLies
                ? shipments.Where(s => !s.Voided).TakeLast(1).ToList()
                : shipments.Where(s =>
                        string.Equals(s.Created.ShipperNumber, shipperNumber, StringComparison.OrdinalIgnoreCase)
                        && s.References.Contains(reference, StringComparer.Ordinal))
                    .ToList();
        }
        else
        {
            throw CarrierErrorException.Refusal(ErrorCodes.LabelRecoveryMissingKey,
                "A tracking number, or a reference number together with a shipper number, is required");
        }

        if (matches.Count == 0)
            throw CarrierErrorException.Refusal(ErrorCodes.LabelRecoveryNotFound, "No shipment found for the given tracking or reference number");
        var live = matches.Where(m => !m.Voided).ToList();
        if (live.Count == 0)
            throw CarrierErrorException.Refusal(ErrorCodes.LabelRecoveryVoided, "The shipment has been voided");

        var shipment = live[^1];
        // Without a requested format the labels come back as they were first printed.
        var format = string.IsNullOrWhiteSpace(requestedFormat)
            ? shipment.Created.LabelFormat ?? LabelFormats.Default
            : LabelFormats.Normalize(requestedFormat)
                ?? throw CarrierErrorException.Refusal(ErrorCodes.LabelFormat, "Invalid or missing label image format");

        return BuildResponse(shipment, format, live.Count);
    }

    private static JsonObject BuildResponse(ShipmentEntry shipment, string format, int liveMatches)
    {
        var record = shipment.Created;
        var response = UpsShapes.Response(record.CustomerContext);
        if (liveMatches > 1)
        {
            // Duplicates are exactly what a client recovering from a crash must notice.
            response["Alert"] = new JsonArray(new JsonObject
            {
                ["Code"] = "300100", // sandbox: marks an ambiguous reference
                ["Description"] = $"{liveMatches} shipments match this reference; the most recent is returned",
            });
        }

        var labels = LabelFactory.Render(record, format);
        return new JsonObject
        {
            ["LabelRecoveryResponse"] = new JsonObject
            {
                ["Response"] = response,
                ["ShipmentIdentificationNumber"] = record.ShipmentId,
                // No charges: UPS's LabelRecoveryResponse has none, so a client must not learn a recovered shipment's cost here.
                ["CreatedAt"] = record.At,
                ["LabelResults"] = Json.Array(labels.Select(l => (JsonNode?)new JsonObject
                {
                    ["TrackingNumber"] = l.TrackingNumber,
                    ["LabelImage"] = new JsonObject
                    {
                        ["LabelImageFormat"] = new JsonObject { ["Code"] = format, ["Description"] = format },
                        ["GraphicImage"] = Convert.ToBase64String(l.Image),
                    },
                })),
                ["TrackingCandidate"] = Json.Array(shipment.TrackingNumbers.Select(t => (JsonNode?)new JsonObject { ["TrackingNumber"] = t })),
            },
        };
    }
}
