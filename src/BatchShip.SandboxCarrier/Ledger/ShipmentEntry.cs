namespace BatchShip.SandboxCarrier.Ledger;

/// <summary>A shipment as the ledger knows it: its create record folded with any later void.</summary>
public sealed record ShipmentEntry(LedgerRecord Created, bool Voided, string? VoidedAt)
{
    public string ShipmentId => Created.ShipmentId;
    public IReadOnlyList<string> TrackingNumbers => Created.TrackingNumbers ?? [];
    public IReadOnlyList<string> References => Created.References ?? [];
    public long LastSequence => Created.Sequence + Math.Max(1, TrackingNumbers.Count) - 1;
}
