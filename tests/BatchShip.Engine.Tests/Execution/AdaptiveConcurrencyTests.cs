using BatchShip.Engine.Execution;

namespace BatchShip.Engine.Tests.Execution;

public sealed class AdaptiveConcurrencyTests
{
    [Fact]
    public async Task A_rate_limit_halves_the_limit_and_successes_bring_it_back()
    {
        var gate = new AdaptiveConcurrency(8);
        for (var i = 0; i < 8; i++) await gate.AcquireAsync();
        Assert.Equal(4, gate.Release(overloaded: true));
        Assert.Equal(2, gate.Release(overloaded: true));
        for (var i = 0; i < 6; i++) gate.Release(overloaded: false); // everything in flight has come back

        // Speed up again: one more slot after each run of successes as long as the limit.
        var limits = new List<int>();
        for (var i = 0; i < 40 && gate.Limit < 8; i++)
        {
            await gate.AcquireAsync();
            limits.Add(gate.Release(overloaded: false));
        }
        Assert.Equal(8, gate.Limit);
        Assert.Equal(limits.Order(), limits);
    }

    [Fact]
    public async Task Waiters_beyond_the_limit_get_a_slot_only_when_one_is_free()
    {
        var gate = new AdaptiveConcurrency(2);
        await gate.AcquireAsync();
        await gate.AcquireAsync();
        var third = gate.AcquireAsync();
        Assert.False(third.IsCompleted);
        gate.Release(overloaded: true); // limit 1, one still in use: the waiter must keep waiting
        Assert.False(third.IsCompleted);
        gate.Release(overloaded: false);
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(third.IsCompletedSuccessfully);
    }

    [Fact]
    public void The_limit_never_drops_below_one()
    {
        var gate = new AdaptiveConcurrency(1);
        gate.AcquireAsync();
        Assert.Equal(1, gate.Release(overloaded: true));
    }
}
