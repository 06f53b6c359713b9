using BatchShip.Engine.Carriers;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Execution;

/// <summary>A request whose template compiled, whose shipper passed its checks and whose carrier is known.</summary>
public sealed record PreparedBatch(
    BatchRequest Request,
    ShipmentTemplate Template,
    IReadOnlyDictionary<string, string> Shipper,
    CarrierProfile Carrier)
{
    /// <summary>The shipper account the natural keys are scoped to.</summary>
    public string ShipperNumber => Shipper.TryGetValue("ShipperNumber", out var n) ? n : "";

    public JobOptions Options => Request.Options;
}
