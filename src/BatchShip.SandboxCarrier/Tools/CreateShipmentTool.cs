using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;
using BatchShip.SandboxCarrier.Validation;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tools;

/// <summary>matt-hans/ups-mcp's create_shipment: the client's UPS ShipmentRequest in, UPS's ShipmentResponse out.</summary>
public sealed class CreateShipmentTool(UpsShipApi ups, FaultInjector faults) : ISandboxTool
{
    public const string Name = "create_shipment";

    public Tool Definition { get; } = new ToolSchema(Name,
            "Create a shipment and buy its labels. request_body is a UPS ShipmentRequest; returns the UPS ShipmentResponse.")
        .Object("request_body", "Request Body")
        .String("version", "Version", ApiVersion.DefaultShipping)
        .String("additionaladdressvalidation", "Additionaladdressvalidation", "")
        .String("trans_id", "Trans Id", "")
        .String("transaction_src", "Transaction Src", "ups-mcp")
        .Build();

    public async Task<JsonNode> InvokeAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var body = arguments.RequiredObject("request_body");
        var version = ApiVersion.Number(arguments.OptionalString("version"));

        var spec = ShipmentRequestReader.ReadShipRequest(body);
        if (faults.Plan.Server == ServerFlavour.MattHans) MattHansPreflight.Check(body, spec);
        var shipped = await ups.ShipAsync(spec, cancellationToken).ConfigureAwait(false);
        return UpsShipApi.ShipmentResponse(shipped, version);
    }
}
