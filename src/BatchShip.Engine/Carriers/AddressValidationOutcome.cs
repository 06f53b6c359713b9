using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>A ship-to address as the validation tool takes it (the official UPS server's flat arguments).</summary>
public sealed record AddressToValidate(IReadOnlyList<string> Lines, string City, string State, string PostalCode, string CountryCode)
{
    /// <summary>The address on one line, for messages.</summary>
    public override string ToString() =>
        string.Join(", ", Lines.Append(City).Append($"{State} {PostalCode}".Trim()).Append(CountryCode).Where(p => p.Length > 0));
}

/// <summary>What the carrier's address validation said. It creates nothing, so any failure may be retried.</summary>
public abstract record AddressValidationOutcome
{
    private AddressValidationOutcome() { }

    /// <summary>The carrier knows the address.</summary>
    public sealed record Valid : AddressValidationOutcome;

    /// <summary>The carrier knows no address like it.</summary>
    public sealed record Invalid : AddressValidationOutcome;

    /// <summary>The carrier knows several addresses like it: a person must pick one.</summary>
    public sealed record Ambiguous(IReadOnlyList<string> Candidates) : AddressValidationOutcome;

    /// <summary>The validation did not answer (a carrier error, a timeout, a dead server). <see cref="ErrorDefinition.Retryable"/>
    /// on the error says whether asking again may help.</summary>
    public sealed record Failed(BatchShipException Error) : AddressValidationOutcome;
}
