using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Tests.Infrastructure;

namespace BatchShip.SandboxCarrier.Tests;

/// <summary>The faults that make the sandbox behave like a real account: a shared rate cap, a long-tailed latency,
/// a limit on concurrent calls.</summary>
public sealed class AccountFaultTests
{
    private static int LedgerCount(string ledgerPath) =>
        File.Exists(ledgerPath) ? ShipmentLedger.ReadAll(ledgerPath).Count : 0;

    [Fact]
    public async Task Rate_cap_refuses_a_call_over_the_bucket_with_429_and_creates_nothing()
    {
        // One call every 100 s after a burst of two: the third create comes long before its token.
        await using var sandbox = await SandboxClient.StartAsync("rate_cap=0.01/s;burst=2");

        var replies = new List<ToolReply>();
        for (var i = 0; i < 3; i++) replies.Add(await sandbox.CreateAsync(Requests.Ship("CAP-" + i)));

        Assert.False(replies[0].IsError, replies[0].Text);
        Assert.False(replies[1].IsError, replies[1].Text);
        replies[2].AssertRefused(429, "10429");
        Assert.Null(replies[2].Body!["details"]!["headers"]); // UPS promises no Retry-After, so by default there is none
        Assert.Equal(2, LedgerCount(sandbox.LedgerPath));
    }

    [Fact]
    public async Task Rate_cap_is_one_bucket_for_every_sandbox_on_the_same_ledger()
    {
        var ledger = Path.Combine(SandboxPaths.NewTempDirectory(), "ledger.jsonl");
        await using var first = await SandboxClient.StartAsync("rate_cap=0.01/s;burst=1", ledger);
        await using var second = await SandboxClient.StartAsync("rate_cap=0.01/s;burst=1", ledger);

        var fromFirst = await first.CreateAsync(Requests.Ship("ACCOUNT-1"));
        var fromSecond = await second.CreateAsync(Requests.Ship("ACCOUNT-2"));

        Assert.False(fromFirst.IsError, fromFirst.Text);
        fromSecond.AssertRefused(429, "10429"); // the first process spent the account's only token
        Assert.Equal(1, LedgerCount(ledger));
    }

    [Fact]
    public async Task Retry_after_on_says_when_the_bucket_has_a_token_again()
    {
        await using var sandbox = await SandboxClient.StartAsync("rate_cap=0.1/s;burst=1;retry_after=on");

        Assert.False((await sandbox.CreateAsync(Requests.Ship("AFTER-1"))).IsError);
        var refused = await sandbox.CreateAsync(Requests.Ship("AFTER-2"));

        refused.AssertRefused(429, "10429");
        var seconds = int.Parse(refused.Body!["details"]!["headers"]!["Retry-After"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 10); // one token every 10 s, just spent
    }

    [Fact]
    public async Task Max_inflight_refuses_calls_beyond_the_limit_with_503_while_the_others_are_served_at_once()
    {
        // Eight creates sent together, each held 3 s by the latency. Were the sandbox serving one call at a time,
        // none would ever find four others in progress; served concurrently, exactly the four beyond the limit are refused.
        await using var sandbox = await SandboxClient.StartAsync("latency=3s;max_inflight=4");

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => sandbox.CreateAsync(Requests.Ship("BUSY-" + i))));

        var refused = replies.Where(r => r.IsError).ToList();
        Assert.Equal(4, refused.Count);
        foreach (var reply in refused) reply.AssertRefused(503, "120001");
        Assert.Equal(4, LedgerCount(sandbox.LedgerPath));
    }

    [Fact]
    public async Task Sequential_serves_calls_sent_together_one_after_another_instead_of_refusing_them()
    {
        // max_inflight=1 refuses a call that arrives while another is served; sequential makes it wait its turn instead.
        await using var sandbox = await SandboxClient.StartAsync("latency=300ms;max_inflight=1;sequential=on");

        var replies = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => sandbox.CreateAsync(Requests.Ship("ONE-" + i))));

        Assert.All(replies, r => Assert.False(r.IsError));
        Assert.Equal(3, LedgerCount(sandbox.LedgerPath));
        Assert.True(FaultPlanParser.Parse("sequential=on").Sequential);
        Assert.False(FaultPlanParser.Parse("sequential=off").Sequential);
    }

    [Fact]
    public void Lognormal_latency_has_the_median_and_the_99th_percentile_asked_for()
    {
        var plan = FaultPlanParser.Parse("latency=1s;latency_p99=4s;latency_dist=lognormal");
        var faults = new FaultInjector(plan, new Random(1), TimeProvider.System);

        var draws = Enumerable.Range(0, 20_000).Select(_ => faults.DrawLatency().TotalMilliseconds).Order().ToList();

        Assert.InRange(draws[draws.Count / 2], 950, 1050);
        Assert.InRange(draws[(int)(draws.Count * 0.99)], 3600, 4400);
        Assert.True(draws[0] > 0);
    }

    [Theory]
    [InlineData("rate_cap=20", "<n>/s")]
    [InlineData("rate_cap=0/s", "above 0")]
    [InlineData("burst=0", "whole number")]
    [InlineData("retry_after=yes", "on or off")]
    [InlineData("max_inflight=-1", "whole number")]
    [InlineData("sequential=yes", "on or off")]
    [InlineData("latency_dist=normal", "fixed or lognormal")]
    [InlineData("latency_dist=lognormal", "needs latency")]
    [InlineData("latency=2s;latency_p99=1s;latency_dist=lognormal", "must not be below")]
    public void Malformed_account_faults_are_refused_with_the_reason(string spec, string reason)
    {
        var e = Assert.Throws<FaultSpecException>(() => FaultPlanParser.Parse(spec));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Account_faults_parse_into_the_plan()
    {
        var plan = FaultPlanParser.Parse("rate_cap=20/s;burst=5;retry_after=on;max_inflight=32;latency=1s;latency_dist=lognormal");

        Assert.Equal(20, plan.RateCap);
        Assert.Equal(5, plan.Burst);
        Assert.True(plan.RetryAfter);
        Assert.Equal(32, plan.MaxInflight);
        Assert.Equal(LatencyDistribution.Lognormal, plan.LatencyDistribution);
        Assert.Equal(TimeSpan.FromSeconds(4), plan.LatencyP99); // four times the median unless given
    }
}
