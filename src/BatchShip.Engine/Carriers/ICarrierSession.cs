namespace BatchShip.Engine.Carriers;

/// <summary>A running connection to one carrier's MCP server, reused for every row of a run.
/// Safe to call from several workers at once.</summary>
public interface ICarrierSession : IAsyncDisposable
{
    /// <summary>The carrier profile's name.</summary>
    string CarrierName { get; }

    /// <summary>False once the carrier's server has gone (its process exited, its pipe closed) or the session was disposed.
    /// A dead session answers every create with <see cref="CreateOutcome.Unknown"/> and every lookup with
    /// <see cref="LookupOutcome.Unavailable"/>: dispose it and start a new one from an <see cref="ICarrierSessionFactory"/>.</summary>
    bool IsAlive { get; }

    /// <summary>Calls the carrier's create tool with the template's rendered arguments (a JSON object).</summary>
    Task<CreateOutcome> CreateShipmentAsync(string argumentsJson, CancellationToken cancellationToken);

    /// <summary>Looks a shipment up by the reference the row put in the package reference number.</summary>
    Task<LookupOutcome> LookupByReferenceAsync(string reference, string shipperNumber, CancellationToken cancellationToken);

    /// <summary>Voids a whole shipment through the carrier's void tool. Carriers without one do not support it.</summary>
    Task<VoidOutcome> VoidAsync(string shipmentId, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>Looks a shipment up by reference, as <see cref="LookupByReferenceAsync"/>, asking for its labels in
    /// <paramref name="labelFormat"/> (GIF, PNG, PDF, ZPL): a lost label file is printed again from this.</summary>
    Task<LookupOutcome> RecoverLabelsAsync(string reference, string shipperNumber, string labelFormat, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    /// <summary>Calls the carrier's rate tool with its arguments (a JSON object, see <see cref="RateArguments"/>).
    /// Rates create nothing, so every failure is a <see cref="RateOutcome.Refused"/>.</summary>
    Task<RateOutcome> RateAsync(string argumentsJson, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>Asks the carrier's validation tool about a ship-to address. Creates nothing, so it may be retried.</summary>
    Task<AddressValidationOutcome> ValidateAddressAsync(AddressToValidate address, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    /// <summary>Asks the carrier's tracking tool where a package is.</summary>
    Task<TrackOutcome> TrackAsync(string trackingNumber, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
