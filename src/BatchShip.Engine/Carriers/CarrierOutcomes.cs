using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>One package of a created shipment: its tracking number and label, as the carrier returned them.</summary>
public sealed record ShipmentPackage(string TrackingNumber, string? LabelFormat, byte[]? LabelImage);

/// <summary>A shipment the carrier has made (from a create, or found again by reference).</summary>
public sealed record CreatedShipment(string ShipmentId, IReadOnlyList<ShipmentPackage> Packages, decimal? Cost, string? Currency)
{
    /// <summary>The reference the carrier's answer names for the shipment (the CustomerContext it echoes), when it names one.</summary>
    public string? EchoedReference { get; init; }
}

/// <summary>The outcome of a create call. Exactly one of three things happened, and the executor treats each differently.</summary>
public abstract record CreateOutcome
{
    private CreateOutcome() { }

    /// <summary>The carrier made the shipment.</summary>
    public sealed record Created(CreatedShipment Shipment) : CreateOutcome;

    /// <summary>The carrier certainly made nothing (validation, auth, rate limit, 503 with a "not created" code).
    /// <see cref="ErrorDefinition.Retryable"/> on the error says whether sending it again may help.</summary>
    public sealed record Refused(BatchShipException Error) : CreateOutcome
    {
        /// <summary>When the carrier will take a call again (its Retry-After), when it said.</summary>
        public TimeSpan? RetryAfter { get; init; }
    }

    /// <summary>Nobody can say whether the shipment was made (timeout, lost connection, carrier crash, other 5xx).
    /// Never send the create again: look the reference up.</summary>
    public sealed record Unknown(string Reason, Exception? Cause) : CreateOutcome
    {
        /// <summary>The carrier did not answer in time: its process is hung, and only a new one can answer a lookup.</summary>
        public bool CarrierHung { get; init; }
    }
}

/// <summary>The outcome of looking a shipment up by its reference.</summary>
public abstract record LookupOutcome
{
    private LookupOutcome() { }

    public sealed record Found(CreatedShipment Shipment) : LookupOutcome;

    /// <summary>The carrier proved that no live shipment carries the reference.</summary>
    public sealed record NotFound : LookupOutcome
    {
        /// <summary>The carrier said the shipment with the reference was voided (UPS 300033), not that there was none.</summary>
        public bool Voided { get; init; }
    }

    /// <summary>The lookup could not answer (no lookup tool, the call failed).</summary>
    public sealed record Unavailable(string Reason) : LookupOutcome
    {
        /// <summary>The carrier did not answer in time: the process is hung, and only a new one can answer.</summary>
        public bool CarrierHung { get; init; }
    }
}
