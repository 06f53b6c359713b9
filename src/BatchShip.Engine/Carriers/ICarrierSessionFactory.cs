namespace BatchShip.Engine.Carriers;

/// <summary>Starts carrier sessions: once at the beginning of a run, and again whenever a session is no longer alive.</summary>
public interface ICarrierSessionFactory
{
    /// <summary>The carrier profile's name.</summary>
    string CarrierName { get; }

    /// <summary>How long a call may take before its outcome counts as unknown: also how long a create sent by a
    /// runner that died may still land at the carrier.</summary>
    TimeSpan CallTimeout => CarrierProfile.DefaultCallTimeout;

    /// <summary>True when the carrier can find a shipment by the row's reference (its profile names a lookup tool): only
    /// then must every request carry the reference, see <c>RequestReference</c>.</summary>
    bool LooksUpReferences => true;

    /// <summary>How many calls one server process works on at once, or null when it takes any number: a run with more
    /// rows at a time than this runs a pool of servers (<see cref="PooledCarrierSession"/>).</summary>
    int? MaxConcurrentCalls => null;

    /// <summary>Starts a new session (a new server process); a failure to start is an E-3001 or E-4007 <c>BatchShipException</c>.</summary>
    Task<ICarrierSession> StartAsync(CancellationToken cancellationToken);
}
