using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tools;

/// <summary>Voids a whole shipment. Idempotent like UPS: a second void succeeds ("Already Voided").</summary>
public sealed class VoidShipmentTool(ShipmentLedger ledger, TimeProvider time) : ISandboxTool
{
    public const string Name = "void_shipment";

    public Tool Definition { get; } = new ToolSchema(Name, "Void (cancel) a shipment by its shipment identification number.")
        .String("shipmentidentificationnumber", "Shipmentidentificationnumber", required: true)
        .String("version", "Version", ApiVersion.DefaultShipping)
        .StringOrList("trackingnumber", "Trackingnumber")
        .Build();

    public async Task<JsonNode> InvokeAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var id = arguments.RequiredString("shipmentidentificationnumber").Trim();
        var requested = arguments.OptionalStringList("trackingnumber");

        var known = (await ledger.SnapshotAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(s => string.Equals(s.ShipmentId, id, StringComparison.OrdinalIgnoreCase));
        if (known is null)
            throw CarrierErrorException.Refusal(ErrorCodes.VoidInvalidShipmentId, "Invalid shipment identification number");
        var stranger = requested.FirstOrDefault(t => !known.TrackingNumbers.Contains(t.Trim(), StringComparer.OrdinalIgnoreCase));
        if (stranger is not null)
            throw CarrierErrorException.Refusal(ErrorCodes.VoidInvalidShipmentId,
                $"Tracking number {stranger} does not belong to shipment {id}");

        var (entry, alreadyVoided) = await ledger.VoidAsync(id, UpsShapes.Timestamp(time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        if (entry is null)
            throw CarrierErrorException.Refusal(ErrorCodes.VoidInvalidShipmentId, "Invalid shipment identification number");

        var description = alreadyVoided ? "Already Voided" : "Voided";
        return new JsonObject
        {
            ["VoidShipmentResponse"] = new JsonObject
            {
                ["Response"] = UpsShapes.Response(null),
                ["SummaryResult"] = new JsonObject
                {
                    ["Status"] = new JsonObject { ["Code"] = "1", ["Description"] = description },
                },
                ["PackageLevelResult"] = Json.Array(entry.TrackingNumbers.Select(t => (JsonNode?)new JsonObject
                {
                    ["TrackingNumber"] = t,
                    ["Status"] = new JsonObject { ["Code"] = "1", ["Description"] = description },
                })),
            },
        };
    }
}
