using BatchShip.SandboxCarrier.Protocol;

namespace BatchShip.SandboxCarrier.Validation;

/// <summary>Collects every refusal so the error lists them all, first one first, like UPS does.</summary>
public sealed class ValidationResult
{
    private readonly List<UpsErrorEntry> _errors = [];

    public IReadOnlyList<UpsErrorEntry> Errors => _errors;

    public bool IsValid => _errors.Count == 0;

    public void Add(string code, string message)
    {
        if (_errors.Any(e => e.Code == code && e.Message == message)) return;
        _errors.Add(new UpsErrorEntry(code, message));
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new CarrierErrorException(new CarrierError(400, _errors));
    }
}
