using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>What the carrier quoted for one shipment: the service it rated, what the account pays, and the business
/// days in transit when the carrier says.</summary>
public sealed record RatedShipment(string? ServiceCode, string? ServiceName, decimal Cost, string Currency, int? BusinessDaysInTransit);

/// <summary>The outcome of a rate call: a price, or why there is none. A rate creates nothing, so there is no
/// unknown outcome: a call that failed is a refusal, retried when its error is retryable.</summary>
public abstract record RateOutcome
{
    private RateOutcome() { }

    public sealed record Rated(RatedShipment Rate) : RateOutcome;

    public sealed record Refused(BatchShipException Error) : RateOutcome
    {
        /// <summary>When the carrier will take a call again (its Retry-After), when it said.</summary>
        public TimeSpan? RetryAfter { get; init; }
    }
}
