using BatchShip.Engine.Carriers;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>A void is money back: only the carrier's proof makes a row Voided, and a voided order can ship again.</summary>
public sealed class ShipmentVoiderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly BatchStore _store;

    public ShipmentVoiderTests() => _store = BatchStore.Open(_folder.Path);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task An_unknown_void_that_the_lookup_finds_voided_makes_the_row_Voided_and_frees_its_order()
    {
        var row = Shipped("ORD-1");
        var carrier = new ScriptedCarrier(new VoidOutcome.Unknown("timed out"), new LookupOutcome.NotFound { Voided = true });

        var result = await Voider(carrier).VoidAsync(row, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal(RowStatus.Voided, result.Row.Status);
        Assert.Equal([row.Reference], carrier.LookedUp);
        var events = _store.ReadAudit(row.JobId).Select(e => e.Event).ToList();
        Assert.True(events.IndexOf("VoidRequested") < events.IndexOf("RowVoided"));
        var again = Stage("ORD-1");
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(again.JobId, 1, "h", false).Kind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_unknown_void_the_lookup_cannot_prove_leaves_the_row_Completed_with_E_3009(bool foundLive)
    {
        var row = Shipped("ORD-2");
        LookupOutcome lookup = foundLive
            ? new LookupOutcome.Found(new CreatedShipment(row.ShipmentId!, [], null, null))
            : new LookupOutcome.Unavailable("no answer");
        var result = await Voider(new ScriptedCarrier(new VoidOutcome.Unknown("server died"), lookup)).VoidAsync(row, CancellationToken.None);

        Assert.Equal("E-3009", result.Error?.Error.Code);
        Assert.Equal(RowStatus.Completed, _store.GetRow(row.JobId, row.RowNumber).Status);
        var again = Stage("ORD-2");
        Assert.Equal(BeginKind.AlreadyShipped, _store.TryBeginInFlight(again.JobId, 1, "h", false).Kind);
    }

    [Fact]
    public async Task A_second_void_after_a_crash_before_the_Voided_commit_settles_the_row()
    {
        // The first run's carrier voided it, and the process died before the store heard: the row is still Completed.
        var row = Shipped("ORD-3");
        var result = await Voider(new ScriptedCarrier(new VoidOutcome.Voided(AlreadyVoided: true), null)).VoidAsync(row, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.True(result.AlreadyVoided);
        Assert.Equal(RowStatus.Voided, result.Row.Status);
    }

    private ShipmentVoider Voider(ScriptedCarrier carrier) => new(_store, (_, _) => Task.FromResult<ICarrierSession>(carrier));

    private JobRecord Stage(string key)
    {
        var job = _store.CreateJob(new NewJob("t", "ups-ground", "{}", "Sandbox", new Dictionary<string, string> { ["ShipperNumber"] = "A1B2C3" }, null, new JobOptions()));
        var stager = _store.BeginStaging(job.JobId);
        stager.Add([KeyValuePair.Create("Reference", key)], key.ToUpperInvariant());
        stager.Complete();
        return job;
    }

    private RowRecord Shipped(string key)
    {
        var job = Stage(key);
        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(job.JobId, 1, "h", false).Kind);
        _store.CompleteRow(job.JobId, 1, RowStatus.InFlight, new ShipmentFacts("1Z999AA10123456784", ["1Z999AA10123456784"], 10m, "USD", []), "test");
        return _store.GetRow(job.JobId, 1);
    }

    private sealed class ScriptedCarrier(VoidOutcome voided, LookupOutcome? lookup) : ICarrierSession
    {
        public List<string> LookedUp { get; } = [];
        public string CarrierName => "Scripted";
        public bool IsAlive => true;
        public Task<CreateOutcome> CreateShipmentAsync(string argumentsJson, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<VoidOutcome> VoidAsync(string shipmentId, CancellationToken cancellationToken) => Task.FromResult(voided);
        public Task<LookupOutcome> LookupByReferenceAsync(string reference, string shipperNumber, CancellationToken cancellationToken)
        {
            LookedUp.Add(reference);
            return Task.FromResult(lookup ?? throw new InvalidOperationException("No lookup expected."));
        }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
