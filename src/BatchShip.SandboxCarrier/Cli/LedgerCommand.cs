using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Labels;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Protocol;

namespace BatchShip.SandboxCarrier.Cli;

/// <summary>Prints the ledger as one JSON object per shipment, for tests and scripts that count shipments.</summary>
public static class LedgerCommand
{
    public static int Run(string path, TextWriter output)
    {
        foreach (var shipment in ShipmentLedger.ReadAll(path))
            output.WriteLine(ToLine(shipment).ToJsonString(Json.Compact));
        output.Flush();
        return 0;
    }

    public static JsonObject ToLine(ShipmentEntry shipment) => new()
    {
        ["shipmentId"] = shipment.ShipmentId,
        ["trackingNumbers"] = Json.Strings(shipment.TrackingNumbers),
        ["references"] = Json.Strings(shipment.References),
        ["customerContext"] = shipment.Created.CustomerContext,
        ["cost"] = shipment.Created.Cost,
        ["currency"] = shipment.Created.Currency,
        ["createdAt"] = shipment.Created.At,
        ["voided"] = shipment.Voided,
        ["serviceCode"] = shipment.Created.ServiceCode,
        ["serviceName"] = shipment.Created.ServiceName,
        ["shipTo"] = shipment.Created.ShipTo is { } to ? Address(to) : null,
        ["voidedAt"] = shipment.VoidedAt,
    };

    private static JsonObject Address(LabelAddress address) => new()
    {
        ["name"] = address.Name,
        ["attentionName"] = address.AttentionName,
        ["lines"] = Json.Strings(address.Lines),
        ["city"] = address.City,
        ["state"] = address.State,
        ["postalCode"] = address.PostalCode,
        ["country"] = address.Country,
    };
}
