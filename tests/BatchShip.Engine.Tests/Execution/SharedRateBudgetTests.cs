using BatchShip.Engine.Execution;
using BatchShip.Engine.Store;
using BatchShip.Engine.Tests.Store;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>
/// Two runs of one carrier account (two stations of a team store, or two jobs of one clerk) share the account's rate
/// budget through the store: what one learns from a 429, the other follows, and a ceiling is split between them.
/// </summary>
public abstract class SharedRateBudgetTests : IDisposable
{
    private const string Account = "UPS/A1B2C3";
    private readonly TempFolder _folder = new();
    private readonly TestStoreSource _source;
    private readonly ManualClock _clock = new();
    private readonly BatchStore _stationA;
    private readonly BatchStore _stationB;

    protected SharedRateBudgetTests(StoreKind kind)
    {
        _source = new TestStoreSource(kind, _folder.Combine("store"));
        _stationA = _source.Open(_clock);
        _stationB = _source.Open(_clock);
    }

    public void Dispose()
    {
        _stationA.Dispose();
        _stationB.Dispose();
        _source.Dispose();
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_pace_one_run_learns_from_a_429_becomes_the_other_runs_share_of_the_account()
    {
        var (rateA, budgetA) = Run(_stationA, "run-a", null);
        var (rateB, budgetB) = Run(_stationB, "run-b", null);
        budgetA.SyncOnce();
        Assert.Equal(2, budgetB.SyncOnce().Runs);
        budgetA.SyncOnce();

        var admitted = new List<long>();
        for (var i = 0; i < 30; i++) admitted.Add(await rateA.WaitTurnAsync(CancellationToken.None));
        var own = rateA.RateLimited(admitted[^1], retryAfter: null)!.Value;
        var published = budgetA.SyncOnce();

        Assert.Equal(own * 2, published.Pace!.Value, 3); // the account's pace: A's share times the two runs
        Assert.Null(rateB.RequestsPerSecond); // B has not heard yet
        budgetB.SyncOnce();
        Assert.Equal(own, rateB.RequestsPerSecond!.Value, 3);
        Assert.Equal(own, rateA.RequestsPerSecond!.Value, 3); // A keeps its own pace: it is already its share
    }

    [Fact]
    public async Task A_Retry_After_the_carrier_gave_one_run_pauses_the_other()
    {
        var (rateA, budgetA) = Run(_stationA, "run-a", null);
        var (rateB, budgetB) = Run(_stationB, "run-b", null);
        budgetA.SyncOnce();
        budgetB.SyncOnce();

        var admitted = await rateA.WaitTurnAsync(CancellationToken.None);
        rateA.RateLimited(admitted, TimeSpan.FromSeconds(5));
        budgetA.SyncOnce();
        budgetB.SyncOnce();

        Assert.Equal(_clock.GetUtcNow().AddSeconds(5), rateB.PausedUntil);
        var turn = rateB.WaitTurnAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(turn.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        await turn.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_ceiling_is_the_accounts_split_between_its_runs_and_a_run_that_left_or_went_silent_stops_counting()
    {
        var (rateA, budgetA) = Run(_stationA, "run-a", 20);
        var (rateB, budgetB) = Run(_stationB, "run-b", 20);
        budgetA.SyncOnce();
        budgetB.SyncOnce();
        budgetA.SyncOnce();
        Assert.Equal(10, rateA.RequestsPerSecond!.Value, 3);
        Assert.Equal(10, rateB.RequestsPerSecond!.Value, 3);

        _stationB.LeaveRateBudget(Account, "run-b");
        Assert.Equal(1, budgetA.SyncOnce().Runs);
        Assert.Equal(20, rateA.RequestsPerSecond!.Value, 3);

        // B syncs again, then falls silent (killed, frozen): after the timeout A has the account to itself again.
        Assert.Equal(2, budgetB.SyncOnce().Runs);
        _clock.Advance(BatchStore.RateShareTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(1, budgetA.SyncOnce().Runs);
        Assert.Equal(20, rateA.RequestsPerSecond!.Value, 3);
    }

    [Fact]
    public void Another_account_has_its_own_budget()
    {
        var (_, budgetA) = Run(_stationA, "run-a", null);
        var other = new SharedRateBudget(_stationB, new AdaptiveRate(null, _clock), SharedRateBudget.AccountOf("UPS", "Z9Y8X7"), "run-b");
        budgetA.SyncOnce();
        Assert.Equal(1, other.SyncOnce().Runs);
        Assert.Equal(1, budgetA.SyncOnce().Runs);
    }

    private (AdaptiveRate Rate, SharedRateBudget Budget) Run(BatchStore store, string runId, double? ceiling)
    {
        var rate = new AdaptiveRate(ceiling, _clock);
        return (rate, new SharedRateBudget(store, rate, Account, runId));
    }
}

public sealed class SqliteSharedRateBudgetTests() : SharedRateBudgetTests(StoreKind.Sqlite);

public sealed class PostgresSharedRateBudgetTests() : SharedRateBudgetTests(StoreKind.Postgres);
