namespace BatchShip.SandboxCarrier.Cli;

/// <summary>What the executable was asked to do.</summary>
public enum Mode
{
    Serve,
    Ledger,
    CheckFaults,
    Help,
    Invalid,
}
