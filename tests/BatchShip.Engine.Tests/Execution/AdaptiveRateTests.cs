using BatchShip.Engine.Execution;

namespace BatchShip.Engine.Tests.Execution;

public sealed class AdaptiveRateTests
{
    [Fact]
    public async Task A_run_is_unpaced_until_the_carrier_refuses_then_paced_just_under_what_it_accepted()
    {
        var clock = new ManualClock();
        var rate = new AdaptiveRate(null, clock);
        var admitted = new List<long>();
        for (var i = 0; i < 30; i++) admitted.Add(await rate.WaitTurnAsync(CancellationToken.None)); // no wait at all
        Assert.Null(rate.RequestsPerSecond);

        var pace = rate.RateLimited(admitted[^1], retryAfter: null);

        Assert.Equal(26.1, pace!.Value, 3); // 90 % of the 29 calls of the last second the carrier accepted
        // Calls admitted before the cut were sent at the old pace: their 429s say nothing new.
        Assert.Null(rate.RateLimited(admitted[^2], retryAfter: null));
        Assert.Equal(26.1, rate.RequestsPerSecond!.Value, 3);
    }

    [Fact]
    public async Task A_cut_follows_what_the_carrier_accepted_but_never_halves_the_pace_at_once()
    {
        var clock = new ManualClock();
        var rate = new AdaptiveRate(null, clock);
        var burst = new List<long>();
        for (var i = 0; i < 30; i++) burst.Add(await rate.WaitTurnAsync(CancellationToken.None));
        var first = rate.RateLimited(burst[^1], null);
        Assert.Equal(0.9 * 29, first!.Value, 3);

        // The next second, at the new pace, the carrier's bucket is empty: it refuses some of the calls.
        var paced = new List<long>();
        for (var i = 0; i < 26; i++) paced.Add(await Admit(rate, clock));
        for (var i = 0; i < 5; i++) Assert.Null(rate.RateLimited(paced[i], null)); // within the quiet second after the cut
        var news = await Admit(rate, clock);
        var second = rate.RateLimited(news, null);
        // About 26 admitted in the last second, 6 refused: 90 % of the about 20 accepted, not 90 % of the 26 sent.
        Assert.InRange(second!.Value, 0.9 * 19, 0.9 * 21.5);

        // A refusal after a second of near silence: 90 % of what went through would be almost nothing; half the pace is the floor.
        clock.Advance(TimeSpan.FromSeconds(1.5));
        var before = rate.RequestsPerSecond!.Value;
        var lone = await Admit(rate, clock);
        Assert.Equal(before / 2, rate.RateLimited(lone, null)!.Value, 1);
    }

    // One call admitted at the pace: the clock moves on to its turn (one interval of the pace, and a millisecond).
    private static async Task<long> Admit(AdaptiveRate rate, ManualClock clock)
    {
        var turn = rate.WaitTurnAsync(CancellationToken.None);
        if (!turn.IsCompleted) clock.Advance(TimeSpan.FromSeconds(1 / rate.RequestsPerSecond!.Value) + TimeSpan.FromMilliseconds(1));
        return await turn.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Refusals_within_a_second_of_a_cut_do_not_cut_again()
    {
        // The carrier's bucket still shows the old pace for a moment after a cut, and calls that queued behind a store
        // commit reach it together: cutting on each of those 429s drove a 20/s account down to 9/s in half a second.
        var clock = new ManualClock();
        var rate = new AdaptiveRate(20, clock);
        var first = await rate.WaitTurnAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        var cut = rate.RateLimited(first, null);
        Assert.NotNull(cut);

        var afterCut = new List<long>();
        for (var i = 0; i < 5; i++) afterCut.Add(await Admit(rate, clock));
        foreach (var admitted in afterCut) Assert.Null(rate.RateLimited(admitted, null));
        Assert.True(rate.RequestsPerSecond >= cut, "the pace only grew since the cut");

        // Once the quiet second is over, a 429 is news again.
        clock.Advance(TimeSpan.FromSeconds(1));
        var late = await rate.WaitTurnAsync(CancellationToken.None);
        Assert.NotNull(rate.RateLimited(late, null));
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
        Assert.Equal(0.9 + 11.2 * 0.1, rate.RequestsPerSecond!.Value, 3); // grows by at least 0.1/s each second since the cut
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
