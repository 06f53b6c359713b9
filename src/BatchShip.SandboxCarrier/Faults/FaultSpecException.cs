namespace BatchShip.SandboxCarrier.Faults;

/// <summary>A fault entry the sandbox cannot honour; the process refuses to start rather than guess.</summary>
public sealed class FaultSpecException(string entry, string reason)
    : Exception($"Invalid {FaultPlanParser.Variable} entry '{entry}': {reason}")
{
    public string Entry { get; } = entry;
}
