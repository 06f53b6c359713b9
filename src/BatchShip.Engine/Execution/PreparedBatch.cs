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

    /// <summary>The row's natural key, read from the input columns -ColumnMap puts in place of the key columns.</summary>
    public string NaturalKey(IReadOnlyList<KeyValuePair<string, string>> input, long rowNumber) =>
        NaturalKeys.For(input, Options.KeyColumn() is { } key ? Options.InputColumn(key) : null, Carrier.Name, ShipperNumber, rowNumber,
            Options.InputColumn(NaturalKeys.DefaultColumn));
}
