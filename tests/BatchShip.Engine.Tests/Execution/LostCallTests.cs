using BatchShip.Engine.Carriers;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>
/// A carrier whose every create is lost in transit (the outcome unknown, the lookup then proving nothing was
/// made). The sandbox cannot be told to do exactly this, so this one test uses a stand-in carrier.
/// </summary>
public sealed class LostCallTests : IDisposable
{
    private readonly BatchHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Rows_the_carrier_keeps_losing_end_the_job_Failed_not_quietly_Stopped()
    {
        var job = _h.Stage([BatchHarness.Order("LC-1"), BatchHarness.Order("LC-2")], new JobOptions { ErrorPolicy = ErrorPolicy.Continue });
        var carrier = new LosingCarrier();

        var summary = await new BatchExecutor(_h.Store, carrier, BatchHarness.FastRetries with { MaxResends = 1 })
            .RunAsync(job.JobId, [], CancellationToken.None);

        Assert.Equal(JobStatus.Failed, summary.Job.Status);
        Assert.Equal("E-3001", summary.Job.LastErrorCode);
        Assert.Equal(2, summary.Count(RowStatus.Pending));
        Assert.Equal(4, carrier.Creates); // each row: the first send and one resend after it was proven absent
        // Absence was accepted only after a second look, one call timeout after the outcome became unknown.
        Assert.Equal(4, _h.Store.ReadAudit(job.JobId).Count(a => a.Event == "LookupDeferred"));
    }

    private sealed class LosingCarrier : ICarrierSessionFactory, ICarrierSession
    {
        private int _creates;

        public int Creates => _creates;

        public string CarrierName => "Losing";

        // Short, so the wait before a "not found" proves absence stays short in the test.
        public TimeSpan CallTimeout => TimeSpan.FromMilliseconds(50);

        public bool IsAlive => true;

        public Task<ICarrierSession> StartAsync(CancellationToken cancellationToken) => Task.FromResult<ICarrierSession>(this);

        public Task<CreateOutcome> CreateShipmentAsync(string argumentsJson, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _creates);
            return Task.FromResult<CreateOutcome>(new CreateOutcome.Unknown("connection reset", null));
        }

        public Task<LookupOutcome> LookupByReferenceAsync(string reference, string shipperNumber, CancellationToken cancellationToken) =>
            Task.FromResult<LookupOutcome>(new LookupOutcome.NotFound());

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
