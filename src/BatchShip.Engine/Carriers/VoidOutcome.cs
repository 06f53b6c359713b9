using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>The outcome of a void call. Voids are money back, so they get the same three answers as a create.</summary>
public abstract record VoidOutcome
{
    private VoidOutcome() { }

    /// <summary>The carrier voided the shipment, now or before (UPS answers "Already Voided", or 190117).</summary>
    public sealed record Voided(bool AlreadyVoided) : VoidOutcome;

    /// <summary>The carrier certainly did not void it (unknown id, void period over, the void system down).</summary>
    public sealed record Refused(BatchShipException Error) : VoidOutcome;

    /// <summary>Nobody can say whether the void took effect (timeout, lost connection, carrier crash, other 5xx):
    /// look the shipment up before assuming anything.</summary>
    public sealed record Unknown(string Reason) : VoidOutcome
    {
        /// <summary>The carrier did not answer in time: only a new process can answer a lookup.</summary>
        public bool CarrierHung { get; init; }
    }
}
