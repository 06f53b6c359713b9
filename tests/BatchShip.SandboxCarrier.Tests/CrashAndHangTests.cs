using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Tests.Infrastructure;

namespace BatchShip.SandboxCarrier.Tests;

public sealed class CrashAndHangTests
{
    [Fact]
    public async Task A_crash_after_create_leaves_a_shipment_that_a_fresh_process_finds()
    {
        var ledger = Path.Combine(SandboxPaths.NewTempDirectory(), "ledger.jsonl");
        await using (var crashing = await SandboxClient.StartAsync("crash_after_create=1", ledger))
        {
            var call = crashing.CreateAsync(Requests.Ship("CRASH-1", packages: 2));
            var failure = await Record.ExceptionAsync(() => call);
            // The connection dies (the server killed itself); a client-side timeout would be a different failure.
            Assert.NotNull(failure);
            Assert.False(failure is OperationCanceledException, failure.ToString());
        }

        await using var fresh = await SandboxClient.StartAsync(ledgerPath: ledger);
        var recovered = await fresh.RecoverByReferenceAsync("CRASH-1");
        var response = recovered.Ok["LabelRecoveryResponse"]!;
        var id = (string)response["ShipmentIdentificationNumber"]!;
        Assert.Equal(2, response["LabelResults"]!.AsArray().Count);

        var listed = await CliRunner.RunAsync(["ledger", "--path", ledger]);
        Assert.Equal(0, listed.ExitCode);
        var line = Assert.Single(listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"\"shipmentId\":\"{id}\"", line, StringComparison.Ordinal);
        Assert.Contains("\"references\":[\"CRASH-1\",\"CRASH-1-2\"]", line, StringComparison.Ordinal);

        // The new process continues the sequence instead of reusing the crashed one's numbers.
        var next = await fresh.CreateAsync(Requests.Ship("CRASH-2"));
        var nextId = (string)next.Ok["ShipmentResponse"]!["ShipmentResults"]!["ShipmentIdentificationNumber"]!;
        Assert.DoesNotContain(nextId, ShipmentLedger.ReadAll(ledger).Single(s => s.ShipmentId == id).TrackingNumbers);
    }

    [Fact]
    public async Task A_hang_after_create_never_answers_but_the_ledger_has_the_shipment()
    {
        await using var sandbox = await SandboxClient.StartAsync("hang_after_create=1");
        using var cancel = new CancellationTokenSource();
        var call = sandbox.CreateAsync(Requests.Ship("HANG-1"), cancel.Token);

        // The server announces the hang on stderr once the shipment is on disk; then the client gives up.
        var announced = sandbox.WhenStandardErrorContains("hang_after_create");
        var first = await Task.WhenAny(announced, call);
        Assert.Same(announced, first);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        var entry = Assert.Single(ShipmentLedger.ReadAll(sandbox.LedgerPath));
        Assert.Equal(["HANG-1"], entry.References);

        // The server itself is still alive for other calls.
        var rate = await sandbox.CallAsync("rate_shipment", new Dictionary<string, object?>
        {
            ["requestoption"] = "Rate",
            ["request_body"] = SandboxClient.ToElement(Requests.Rate()),
        });
        Assert.False(rate.IsError, rate.Text);
    }

    [Fact]
    public async Task Two_processes_sharing_a_ledger_never_issue_the_same_tracking_number()
    {
        var ledger = Path.Combine(SandboxPaths.NewTempDirectory(), "ledger.jsonl");
        await using var a = await SandboxClient.StartAsync(ledgerPath: ledger);
        await using var b = await SandboxClient.StartAsync(ledgerPath: ledger);

        var calls = Enumerable.Range(0, 6).SelectMany(i => new[]
        {
            a.CreateAsync(Requests.Ship($"A-{i}", packages: 2)),
            b.CreateAsync(Requests.Ship($"B-{i}", packages: 2)),
        });
        var replies = await Task.WhenAll(calls);

        Assert.All(replies, r => Assert.False(r.IsError, r.Text));
        var shipments = ShipmentLedger.ReadAll(ledger);
        Assert.Equal(12, shipments.Count);
        var numbers = shipments.SelectMany(s => s.TrackingNumbers).ToList();
        Assert.Equal(24, numbers.Distinct().Count());

        // Each process sees what the other wrote.
        var fromB = await a.RecoverByReferenceAsync("B-3");
        Assert.False(fromB.IsError, fromB.Text);
    }
}
