using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Tests.Jobs;

public sealed class TransitionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly BatchStore _store;

    public TransitionTests() => _store = BatchStore.Open(_folder.Path);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Theory]
    [InlineData(RowStatus.Pending, RowStatus.InFlight, true)]
    [InlineData(RowStatus.InFlight, RowStatus.Completed, true)]
    [InlineData(RowStatus.InFlight, RowStatus.NeedsReview, true)]
    [InlineData(RowStatus.NeedsReview, RowStatus.Pending, true)]
    [InlineData(RowStatus.Completed, RowStatus.Voided, true)]
    [InlineData(RowStatus.Pending, RowStatus.Completed, false)]
    [InlineData(RowStatus.Completed, RowStatus.Pending, false)]
    [InlineData(RowStatus.Completed, RowStatus.InFlight, false)]
    [InlineData(RowStatus.AlreadyShipped, RowStatus.InFlight, false)]
    [InlineData(RowStatus.Pending, RowStatus.Skipped, true)]
    [InlineData(RowStatus.Skipped, RowStatus.Pending, false)]
    public void The_row_table(RowStatus from, RowStatus to, bool allowed) => Assert.Equal(allowed, Transitions.IsAllowed(from, to));

    [Theory]
    [InlineData(JobStatus.Created, JobStatus.Running, true)]
    [InlineData(JobStatus.Failed, JobStatus.Running, true)]
    [InlineData(JobStatus.Stopped, JobStatus.Running, true)]
    [InlineData(JobStatus.Running, JobStatus.CompletedWithErrors, true)]
    [InlineData(JobStatus.CompletedWithErrors, JobStatus.Running, true)]
    [InlineData(JobStatus.Completed, JobStatus.Running, false)]
    [InlineData(JobStatus.Created, JobStatus.Completed, false)]
    [InlineData(JobStatus.Failed, JobStatus.Cancelled, true)]
    [InlineData(JobStatus.Running, JobStatus.Cancelled, true)]
    [InlineData(JobStatus.Completed, JobStatus.Cancelled, false)]
    [InlineData(JobStatus.CompletedWithErrors, JobStatus.Cancelled, false)]
    [InlineData(JobStatus.Cancelled, JobStatus.Running, false)]
    public void The_job_table(JobStatus from, JobStatus to, bool allowed) => Assert.Equal(allowed, Transitions.IsAllowed(from, to));

    [Fact]
    public void Completing_a_row_that_is_not_InFlight_is_a_typed_error_and_changes_nothing()
    {
        var job = Stage(1);
        var error = Assert.Throws<BatchShipException>(() =>
            _store.CompleteRow(job.JobId, 1, RowStatus.Pending, new ShipmentFacts("1Z", ["1Z"], 1m, "USD", []), "test"));
        Assert.Equal("E-4004", error.Error.Code);
        Assert.Equal(RowStatus.Pending, _store.GetRow(job.JobId, 1).Status);
    }

    [Fact]
    public void A_stale_writer_cannot_move_a_row_another_writer_already_moved()
    {
        var job = Stage(1);
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(job.JobId, 1, "h", false).Kind);
        Assert.Equal(BeginKind.NotPending, _store.TryBeginInFlight(job.JobId, 1, "h", false).Kind);
        _store.CompleteRow(job.JobId, 1, RowStatus.InFlight, new ShipmentFacts("1Z1", ["1Z1"], 2.5m, "USD", []), "test");
        var error = Assert.Throws<BatchShipException>(() => _store.MarkNeedsReview(job.JobId, 1, "late"));
        Assert.Equal("E-4004", error.Error.Code);
        Assert.Equal(RowStatus.Completed, _store.GetRow(job.JobId, 1).Status);
    }

    [Fact]
    public void Staging_keeps_column_order_and_values_exactly()
    {
        var input = new[] { KeyValuePair.Create("Zeta", " 2,5 "), KeyValuePair.Create("Alpha", "Ünïcödé \"q\""), KeyValuePair.Create("Mid", "") };
        var job = _store.CreateJob(new NewJob("t", "ups-ground", "{}", "Sandbox", new Dictionary<string, string>(), null, new JobOptions()));
        var stager = _store.BeginStaging(job.JobId);
        stager.Add(input, "k");
        stager.Complete();
        Assert.Equal(input, _store.GetRow(job.JobId, 1).Input);
    }

    [Fact]
    public async Task A_job_whose_staging_was_cut_short_is_never_run()
    {
        var job = _store.CreateJob(new NewJob("t", "ups-ground", "{}", "Sandbox", new Dictionary<string, string>(), null, new JobOptions()));
        var stager = _store.BeginStaging(job.JobId);
        for (var i = 0; i < 5001; i++) stager.Add([KeyValuePair.Create("Reference", $"o{i}")], $"o{i}"); // one chunk committed, no Complete()
        Assert.False(_store.RequireJob(job.JobId).StagingComplete);
        var error = await Assert.ThrowsAsync<BatchShipException>(() =>
            new BatchExecutor(_store, new McpCarrierSessionFactory(CarrierProfiles.ForSandboxAssembly("unused.dll")))
                .RunAsync(job.JobId, [], CancellationToken.None));
        Assert.Equal("E-4004", error.Error.Code);
    }

    private JobRecord Stage(int rows)
    {
        var job = _store.CreateJob(new NewJob("t", "ups-ground", "{}", "Sandbox", new Dictionary<string, string>(), null, new JobOptions()));
        var stager = _store.BeginStaging(job.JobId);
        for (var i = 1; i <= rows; i++) stager.Add([KeyValuePair.Create("Reference", $"r{i}")], $"r{i}");
        stager.Complete();
        return job;
    }
}
