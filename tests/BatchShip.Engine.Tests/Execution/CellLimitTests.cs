using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Input;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using BatchShip.Engine.Templates;
using BatchShip.Engine.Tests.Carriers;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>A cell or a row too large for any shipment is refused while staging (E-1006), before anything is bought.</summary>
public sealed class CellLimitTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly BatchStore _store;

    public CellLimitTests() => _store = BatchStore.Open(_folder.Combine("store"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private JobStaging Begin()
    {
        var request = new BatchRequest("ups-ground", new Dictionary<string, string?>(), "Sandbox", "limits", _folder.Combine("labels"), new JobOptions());
        var batch = new PreparedBatch(request, ShipmentTemplate.Parse("ups-ground", BatchHarness.UpsGround), BatchHarness.Shipper,
            SandboxCarrierProcess.Profile(_folder.Combine("ledger.jsonl")));
        var job = _store.CreateJob(new NewJob(request.Name, batch.Template.Name, batch.Template.Source, batch.Carrier.Name,
            batch.Shipper, request.LabelDirectory, batch.Options));
        return new JobStaging(job, _store.BeginStaging(job.JobId), batch, null);
    }

    [Fact]
    public void A_300_MB_cell_is_refused_naming_its_row_and_column()
    {
        var staging = Begin();
        staging.Add(BatchHarness.Order("ORD-1"));
        var huge = new string('x', 300 * 1024 * 1024);
        var row = BatchHarness.Order("ORD-2").Append(KeyValuePair.Create("Notes", huge)).ToArray();

        var error = Assert.Throws<BatchShipException>(() => staging.Add(row));

        Assert.Equal("E-1006", error.Error.Code);
        Assert.Equal(2, error.RowNumber);
        Assert.Equal("Notes", error.Field);
        Assert.Contains("column 'Notes'", error.Message);
        Assert.Equal(1, staging.Count);
    }

    [Fact]
    public void A_cell_at_the_limit_is_staged_and_one_character_more_is_not()
    {
        var staging = Begin();
        staging.Add([.. BatchHarness.Order("ORD-1"), KeyValuePair.Create("Notes", new string('x', RowLimits.MaxCellLength))]);

        var error = Assert.Throws<BatchShipException>(() =>
            staging.Add([.. BatchHarness.Order("ORD-2"), KeyValuePair.Create("Notes", new string('x', RowLimits.MaxCellLength + 1))]));

        Assert.Equal("E-1006", error.Error.Code);
    }

    [Fact]
    public void A_row_of_many_cells_under_the_cell_limit_is_refused_when_it_passes_the_row_limit()
    {
        var staging = Begin();
        var cell = new string('y', RowLimits.MaxCellLength);
        var row = BatchHarness.Order("ORD-1")
            .Concat(Enumerable.Range(1, RowLimits.MaxRowLength / RowLimits.MaxCellLength + 1).Select(i => KeyValuePair.Create($"Extra{i}", cell)))
            .ToArray();

        var error = Assert.Throws<BatchShipException>(() => staging.Add(row));

        Assert.Equal("E-1006", error.Error.Code);
        Assert.Equal(1, error.RowNumber);
        Assert.Null(error.Field);
    }

    [Fact]
    public void A_column_name_longer_than_a_cell_is_refused_too()
    {
        var staging = Begin();
        var name = new string('N', RowLimits.MaxCellLength + 1);

        var error = Assert.Throws<BatchShipException>(() => staging.Add([.. BatchHarness.Order("ORD-1"), KeyValuePair.Create(name, "v")]));

        Assert.Equal("E-1006", error.Error.Code);
    }
}
