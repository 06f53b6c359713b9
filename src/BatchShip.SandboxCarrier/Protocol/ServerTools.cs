using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Tools;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>Which of the sandbox's tools the imitated server offers: a client that needs a tool the real server lacks
/// must find out from tools/list, as it would against the real one. Two tools share the name create_shipment
/// (matt-hans's raw UPS body, roscoej's friendly arguments): each server offers one of them.</summary>
public static class ServerTools
{
    /// <summary>True when the server of that flavour offers the tool.</summary>
    public static bool Offers(ServerFlavour server, ISandboxTool tool) => server switch
    {
        ServerFlavour.Official => tool is TrackPackageTool or ValidateAddressTool,
        // ShipAgent's server: shipping_create; it has no lookup, so the sandbox offers nothing else either.
        ServerFlavour.ShipAgent => tool is ShippingCreateTool,
        // roscoej/ups-mcp: its friendly create_shipment; no lookup tool.
        ServerFlavour.TypeScript => tool is FriendlyCreateShipmentTool,
        _ => tool is not (ShippingCreateTool or FriendlyCreateShipmentTool),
    };

    /// <summary>True for the servers written with the TypeScript MCP SDK, which words its own refusals differently.</summary>
    public static bool IsTypeScript(ServerFlavour server) => server is ServerFlavour.TypeScript or ServerFlavour.ShipAgent;
}
