namespace BatchShip.SandboxCarrier.Faults;

/// <summary>One fail_codes pair: refuse with this UPS code with this probability.</summary>
public sealed record InjectedCode(string Code, double Probability);
