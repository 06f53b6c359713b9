namespace BatchShip.Engine.Carriers;

/// <summary>A carrier answer that does not have the shape we read. After a create it means the outcome is unknown.</summary>
public sealed class CarrierFormatException(string message, Exception? inner = null) : FormatException(message, inner);
