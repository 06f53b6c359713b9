using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchShip.SandboxCarrier.Ledger;

public static class LedgerSerializer
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public static byte[] ToLine(LedgerRecord record) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, Options) + "\n");

    /// <summary>Returns null for lines a crashed writer left torn or that are otherwise unreadable.</summary>
    public static LedgerRecord? TryParse(ReadOnlySpan<byte> line)
    {
        try
        {
            var record = JsonSerializer.Deserialize<LedgerRecord>(line, Options);
            return record is { Type: LedgerRecord.CreateType or LedgerRecord.VoidType } && !string.IsNullOrEmpty(record.ShipmentId) ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
