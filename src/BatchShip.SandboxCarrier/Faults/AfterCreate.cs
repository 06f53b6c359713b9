namespace BatchShip.SandboxCarrier.Faults;

/// <summary>What happens once a shipment is safely in the ledger.</summary>
public enum AfterCreate
{
    Answer,
    Crash,
    Hang,
    /// <summary>Answer a server error although the shipment was made: the process stays up.</summary>
    Error,
}
