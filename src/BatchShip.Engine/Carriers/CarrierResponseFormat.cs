namespace BatchShip.Engine.Carriers;

/// <summary>The shape of a create tool's success answer (the profile's <c>response</c>).</summary>
public enum CarrierResponseFormat
{
    /// <summary>The raw UPS <c>ShipmentResponse</c> (matt-hans/ups-mcp, roscoej/ups-mcp, the sandbox).</summary>
    Ups,

    /// <summary>ShipAgent's <c>{success, trackingNumbers[], labelPaths[], totalCharges, shipmentIdentificationNumber}</c>,
    /// with the labels written to files on the server's disk.</summary>
    ShipAgent,
}
