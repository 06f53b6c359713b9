using BatchShip.SandboxCarrier.Labels;
using BatchShip.SandboxCarrier.Ledger;

namespace BatchShip.SandboxCarrier.Shipping;

/// <summary>Builds labels from a ledger record, so a later process renders the same labels again.</summary>
public static class LabelFactory
{
    public static LabelAddress ToLabelAddress(Party party) => new(
        party.Name?.Trim() ?? "",
        string.IsNullOrWhiteSpace(party.AttentionName) ? null : party.AttentionName.Trim(),
        party.Address.Lines.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).ToList(),
        party.Address.City?.Trim() ?? "",
        party.Address.StateProvinceCode?.Trim().ToUpperInvariant(),
        party.Address.PostalCode?.Trim(),
        party.Address.CountryCode?.Trim().ToUpperInvariant() ?? "");

    public static IReadOnlyList<(string TrackingNumber, byte[] Image)> Render(LedgerRecord record, string format)
    {
        var tracking = record.TrackingNumbers ?? [];
        var labels = new List<(string, byte[])>(tracking.Count);
        for (var i = 0; i < tracking.Count; i++)
        {
            var content = new LabelContent(
                record.ShipFrom ?? new LabelAddress("", null, [], "", null, null, ""),
                record.ShipTo ?? new LabelAddress("", null, [], "", null, null, ""),
                record.ServiceName ?? record.ServiceCode ?? "",
                tracking[i],
                i + 1,
                tracking.Count,
                record.PackageWeights is { } weights && i < weights.Count ? weights[i] : "",
                record.PackageReferences is { } refs && i < refs.Count ? refs[i] : []);
            labels.Add((tracking[i], LabelRenderer.Render(content, format)));
        }
        return labels;
    }
}
