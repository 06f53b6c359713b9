using System.Text.Json.Serialization;

namespace BatchShip.SandboxCarrier.Labels;

/// <summary>An address as printed on a label (and kept in the ledger to print it again).</summary>
public sealed record LabelAddress(
    string Name,
    string? AttentionName,
    IReadOnlyList<string> Lines,
    string City,
    string? State,
    string? PostalCode,
    string Country)
{
    [JsonIgnore]
    public string CityLine => string.Join(' ', new[] { City, State, PostalCode }.Where(p => !string.IsNullOrWhiteSpace(p)));
}
