using BatchShip.Engine.Execution;

namespace BatchShip.Engine.Tests.Execution;

public sealed class AdaptiveRateTests
{
    [Fact]
    public async Task A_run_is_unpaced_until_the_carrier_refuses_then_paced_just_under_what_it_sent()
    {
        var clock = new ManualClock();
        var rate = new AdaptiveRate(null, clock);
        var admitted = new List<long>();
        for (var i = 0; i < 30; i++) admitted.Add(await rate.WaitTurnAsync(CancellationToken.None)); // no wait at all
        Assert.Null(rate.RequestsPerSecond);

        var pace = rate.RateLimited(admitted[^1], retryAfter: null);

        Assert.Equal(27, pace!.Value, 3); // 90 % of the 30 calls sent in the last second
        // Calls admitted before the cut were sent at the old pace: their 429s say nothing new.
        Assert.Null(rate.RateLimited(admitted[^2], retryAfter: null));
        Assert.Equal(27, rate.RequestsPerSecond!.Value, 3);
    }

    [Fact]
    public async Task The_pace_spaces_the_calls_and_grows_back_between_refusals()
    {
        var clock = new ManualClock();
        var rate = new AdaptiveRate(null, clock);
        var first = await rate.WaitTurnAsync(CancellationToken.None);
        rate.RateLimited(first, null); // one call in the last second: the pace drops to the floor of 0.9/s
        Assert.Equal(0.9, rate.RequestsPerSecond!.Value, 3);

        var second = rate.WaitTurnAsync(CancellationToken.None); // the first slot is free at once
        Assert.True(second.IsCompleted);
        var third = rate.WaitTurnAsync(CancellationToken.None);
        Assert.False(third.IsCompleted); // 1/0.9 s later
        clock.Advance(TimeSpan.FromSeconds(1.2));
        await third.WaitAsync(TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0.9 + 11.2 * 0.2, rate.RequestsPerSecond!.Value, 3); // grows by at least 0.2/s each second since the cut
    }

    [Fact]
    public async Task Retry_after_pauses_every_caller_until_then()
    {
        var clock = new ManualClock();
        var rate = new AdaptiveRate(null, clock);
        var admitted = await rate.WaitTurnAsync(CancellationToken.None);

        rate.RateLimited(admitted, TimeSpan.FromSeconds(3));
        var next = rate.WaitTurnAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task MaxRequestsPerSecond_is_the_pace_from_the_start_and_stays_the_ceiling()
    {
        var clock = new ManualClock();
        var rate = new AdaptiveRate(5, clock);
        Assert.Equal(5, rate.RequestsPerSecond);

        await rate.WaitTurnAsync(CancellationToken.None);
        Assert.False(rate.WaitTurnAsync(CancellationToken.None).IsCompleted); // 200 ms apart
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(5, rate.RequestsPerSecond); // never above the user's ceiling
    }

    [Fact]
    public async Task A_wait_ends_when_the_run_is_cancelled()
    {
        var clock = new ManualClock();
        var rate = new AdaptiveRate(1, clock);
        await rate.WaitTurnAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = rate.WaitTurnAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
