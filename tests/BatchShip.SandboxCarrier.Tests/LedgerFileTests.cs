using System.Text;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Tests.Infrastructure;

namespace BatchShip.SandboxCarrier.Tests;

public sealed class LedgerFileTests
{
    private static LedgerRecord Record(string id, long sequence, int packages = 1) => new()
    {
        Type = LedgerRecord.CreateType,
        ShipmentId = id,
        At = "2026-01-01T00:00:00.000Z",
        TrackingNumbers = Enumerable.Range(0, packages).Select(i => $"{id}-{i}").ToList(),
        Sequence = sequence,
        Cost = "1.00",
        Currency = "USD",
    };

    [Fact]
    public async Task A_torn_last_line_is_skipped_and_the_next_append_starts_on_its_own_line()
    {
        var path = Path.Combine(SandboxPaths.NewTempDirectory(), "ledger.jsonl");
        var intact = Encoding.UTF8.GetString(LedgerSerializer.ToLine(Record("FIRST", 1, packages: 3)));
        await File.WriteAllTextAsync(path, intact + "{\"type\":\"create\",\"shipmentId\":\"TORN\",\"trackingNu");

        using (var ledger = new ShipmentLedger(path))
        {
            var appended = await ledger.AppendShipmentAsync(sequence => Record("SECOND", sequence), CancellationToken.None);
            Assert.Equal(4, appended.Created.Sequence);
        }

        var shipments = ShipmentLedger.ReadAll(path);
        Assert.Equal(["FIRST", "SECOND"], shipments.Select(s => s.ShipmentId).ToArray());
    }

    [Fact]
    public async Task Void_records_fold_into_the_shipment_and_are_written_once()
    {
        var path = Path.Combine(SandboxPaths.NewTempDirectory(), "ledger.jsonl");
        using var ledger = new ShipmentLedger(path);
        await ledger.AppendShipmentAsync(s => Record("ONE", s), CancellationToken.None);

        var (first, firstAlready) = await ledger.VoidAsync("ONE", "2026-01-02T00:00:00.000Z", CancellationToken.None);
        var (_, secondAlready) = await ledger.VoidAsync("ONE", "2026-01-03T00:00:00.000Z", CancellationToken.None);
        var (missing, _) = await ledger.VoidAsync("NOPE", "2026-01-03T00:00:00.000Z", CancellationToken.None);

        Assert.True(first!.Voided);
        Assert.False(firstAlready);
        Assert.True(secondAlready);
        Assert.Null(missing);
        Assert.Equal(2, File.ReadAllLines(path).Length);
        Assert.True(Assert.Single(ShipmentLedger.ReadAll(path)).Voided);
    }

    [Fact]
    public void The_default_location_follows_the_environment()
    {
        Assert.Equal("/x/l.jsonl", LedgerLocation.Resolve(n => n == "BATCHSHIP_SANDBOX_LEDGER" ? "/x/l.jsonl" : null));
        Assert.Equal(Path.Combine("/home/bs", "sandbox", "ledger.jsonl"), LedgerLocation.Resolve(n => n == "BATCHSHIP_HOME" ? "/home/bs" : null));
        Assert.EndsWith(Path.Combine("BatchShip", "sandbox", "ledger.jsonl"), LedgerLocation.Resolve(_ => null), StringComparison.Ordinal);
    }
}
