namespace BatchShip.SandboxCarrier.Ledger;

/// <summary>The in-memory fold of ledger lines, kept in creation order.</summary>
public sealed class LedgerState
{
    private readonly Dictionary<string, ShipmentEntry> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = [];

    public long MaxSequence { get; private set; }

    public IReadOnlyList<ShipmentEntry> Shipments => _order.Select(id => _byId[id]).ToList();

    public ShipmentEntry? Find(string shipmentId) => _byId.GetValueOrDefault(shipmentId);

    public void Apply(LedgerRecord record)
    {
        if (record.Type == LedgerRecord.CreateType)
        {
            if (_byId.ContainsKey(record.ShipmentId)) return;
            var entry = new ShipmentEntry(record, false, null);
            _byId[record.ShipmentId] = entry;
            _order.Add(record.ShipmentId);
            MaxSequence = Math.Max(MaxSequence, entry.LastSequence);
        }
        else if (record.Type == LedgerRecord.VoidType && _byId.TryGetValue(record.ShipmentId, out var existing) && !existing.Voided)
        {
            _byId[record.ShipmentId] = existing with { Voided = true, VoidedAt = record.At };
        }
    }

    public void Clear()
    {
        _byId.Clear();
        _order.Clear();
        MaxSequence = 0;
    }
}
