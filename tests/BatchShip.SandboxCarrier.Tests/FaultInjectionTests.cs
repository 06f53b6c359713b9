using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Tests.Infrastructure;

namespace BatchShip.SandboxCarrier.Tests;

/// <summary>Each test starts its own server with its own faults and ledger.</summary>
public sealed class FaultInjectionTests
{
    private static int LedgerCount(SandboxClient sandbox) =>
        File.Exists(sandbox.LedgerPath) ? ShipmentLedger.ReadAll(sandbox.LedgerPath).Count : 0;

    [Fact]
    public async Task Rate_limit_refuses_with_429_and_creates_nothing()
    {
        await using var sandbox = await SandboxClient.StartAsync("rate_limit=1");

        var reply = await sandbox.CreateAsync(Requests.Ship());
        var track = await sandbox.CallAsync("track_package", new Dictionary<string, object?> { ["inquiryNumber"] = "1Z999AA10123456784" });

        reply.AssertRefused(429, "10429");
        track.AssertRefused(429, "10429");
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Fact]
    public async Task Server_error_refuses_with_503_120001_and_creates_nothing()
    {
        await using var sandbox = await SandboxClient.StartAsync("server_error=1");

        var reply = await sandbox.CreateAsync(Requests.Ship());
        var rate = await sandbox.CallAsync("rate_shipment", new Dictionary<string, object?>
        {
            ["requestoption"] = "Rate",
            ["request_body"] = SandboxClient.ToElement(Requests.Rate()),
        });

        reply.AssertRefused(503, "120001");
        Assert.False(rate.IsError, "server_error only concerns create_shipment");
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Fact]
    public async Task Auth_fail_refuses_every_tool_with_401_250002()
    {
        await using var sandbox = await SandboxClient.StartAsync("auth_fail=1");

        (await sandbox.CreateAsync(Requests.Ship())).AssertRefused(401, "250002");
        (await sandbox.RecoverByReferenceAsync("ROW-1")).AssertRefused(401, "250002");
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Fact]
    public async Task Fail_codes_refuse_with_the_chosen_code_and_create_nothing()
    {
        await using var sandbox = await SandboxClient.StartAsync("fail_codes=120802:1,120500:0");

        var reply = await sandbox.CreateAsync(Requests.Ship());

        reply.AssertRefused(400, "120802");
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Fact]
    public async Task Probabilistic_faults_are_repeatable_for_a_seed()
    {
        async Task<string> Pattern()
        {
            await using var sandbox = await SandboxClient.StartAsync("fail_codes=120802:0.5", seed: "7");
            var outcomes = new List<char>();
            for (var i = 0; i < 12; i++)
                outcomes.Add((await sandbox.CreateAsync(Requests.Ship("SEED" + i))).IsError ? 'x' : '.');
            return new string([.. outcomes]);
        }

        var first = await Pattern();
        var second = await Pattern();

        Assert.Equal(first, second);
        Assert.Contains('x', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task Latency_and_jitter_still_answer()
    {
        await using var sandbox = await SandboxClient.StartAsync("latency=20ms;jitter=0.01s");

        var reply = await sandbox.CreateAsync(Requests.Ship());

        Assert.False(reply.IsError, reply.Text);
        Assert.Equal(1, LedgerCount(sandbox));
    }

    [Fact]
    public async Task Lookup_off_makes_recover_label_unavailable_even_for_existing_shipments()
    {
        await using var sandbox = await SandboxClient.StartAsync("lookup=off");
        Assert.False((await sandbox.CreateAsync(Requests.Ship("LOOKUP-1"))).IsError);

        var reply = await sandbox.RecoverByReferenceAsync("LOOKUP-1");

        reply.AssertRefused(503, "190001");
    }
}
