using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Quotes;

/// <summary>What the carrier quoted for one row: its rate, or the row's error. <see cref="AlreadyShippedBy"/> names
/// the shipment of an order that was already shipped (it is quoted all the same, but a run would not buy it again).</summary>
public sealed record RowQuote(long RowNumber, IReadOnlyList<KeyValuePair<string, string>> Input, RatedShipment? Rate,
    BatchShipException? Error, string? AlreadyShippedBy)
{
    /// <summary>True when a run would buy this row at the quoted price.</summary>
    public bool WouldShip => Rate is not null && AlreadyShippedBy is null;
}
