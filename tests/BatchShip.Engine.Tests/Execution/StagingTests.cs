using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using BatchShip.Engine.Templates;
using BatchShip.Engine.Input;
using BatchShip.Engine.Tests.Carriers;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>Staging checks every row before anything is bought: a real store in a temp folder, no carrier call.</summary>
public sealed class StagingTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly BatchStore _store;

    public StagingTests() => _store = BatchStore.Open(_folder.Combine("store"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private JobStaging Begin(JobOptions? options = null)
    {
        var request = new BatchRequest("ups-ground", new Dictionary<string, string?>(), "Sandbox", "staging", _folder.Combine("labels"), options ?? new JobOptions());
        var batch = new PreparedBatch(request, ShipmentTemplate.Parse("ups-ground", BatchHarness.UpsGround), BatchHarness.Shipper,
            SandboxCarrierProcess.Profile(_folder.Combine("ledger.jsonl")));
        var job = _store.CreateJob(new NewJob(request.Name, batch.Template.Name, batch.Template.Source, batch.Carrier.Name,
            batch.Shipper, request.LabelDirectory, batch.Options));
        return new JobStaging(job, _store.BeginStaging(job.JobId), batch, null);
    }

    private static KeyValuePair<string, string>[] Row(params (string Name, string Value)[] columns) =>
        columns.Select(c => KeyValuePair.Create(c.Name, c.Value)).ToArray();

    [Fact]
    public void Two_rows_of_one_order_are_refused_naming_both_rows_and_the_key()
    {
        // A line-item export: one row per item, the order number repeated.
        var staging = Begin();
        staging.Add(BatchHarness.Order("ORD-1001"));
        staging.Add(BatchHarness.Order("ORD-1002"));

        var e = Assert.Throws<BatchShipException>(() => staging.Add(BatchHarness.Order("ord-1001 ")));

        Assert.Equal("E-1004", e.Error.Code);
        Assert.Same(ErrorCatalog.DuplicateOrder, e.Error);
        Assert.Equal(3, e.RowNumber);
        Assert.Contains("1 and 3", e.Message);
        Assert.Contains("ORD-1001", e.Message);
        Assert.Contains("-AllowDuplicate", e.Error.Remedy);
        Assert.Equal(2, staging.Count);
    }

    [Fact]
    public void Two_identical_rows_without_a_reference_are_refused_too()
    {
        var staging = Begin();
        staging.Add(Row(("RecipientName", "Ann"), ("City", "Boston")));

        var e = Assert.Throws<BatchShipException>(() => staging.Add(Row(("city", "Boston"), ("RecipientName", "Ann"))));

        Assert.Equal("E-1004", e.Error.Code);
        Assert.Contains("1 and 2", e.Message);
    }

    [Fact]
    public void AllowDuplicate_stages_every_row_of_one_order()
    {
        var staging = Begin(new JobOptions { AllowDuplicate = true });
        staging.Add(BatchHarness.Order("ORD-1"));
        staging.Add(BatchHarness.Order("ORD-1"));
        staging.Complete();

        Assert.Equal(2, _store.GetRows(staging.Job.JobId).Count);
    }

    [Fact]
    public void Rows_keyed_by_a_hash_of_the_whole_row_are_counted_for_the_warning()
    {
        var withReference = Begin();
        withReference.Add(BatchHarness.Order("R-1"));
        Assert.Equal(0, withReference.RowHashKeys);

        var without = Begin();
        without.Add(Row(("RecipientName", "Ann")));
        without.Add(Row(("RecipientName", "Bob"), ("Reference", " ")));
        Assert.Equal(2, without.RowHashKeys);
    }

    [Fact]
    public void A_column_without_a_name_and_without_a_value_is_dropped()
    {
        // A trailing comma in a CSV header makes such a column.
        var staging = Begin();
        staging.Add([.. BatchHarness.Order("T-1"), KeyValuePair.Create("", ""), KeyValuePair.Create("  ", " ")]);
        staging.Complete();

        var row = Assert.Single(_store.GetRows(staging.Job.JobId));
        Assert.Equal(["RecipientName", "Address1", "City", "State", "PostalCode", "WeightLb", "Reference"], row.Input.Select(c => c.Key));
    }

    [Fact]
    public void A_column_without_a_name_but_with_a_value_is_refused_with_E_1005()
    {
        var staging = Begin();

        var e = Assert.Throws<BatchShipException>(() => staging.Add([.. BatchHarness.Order("T-2"), KeyValuePair.Create("", "gift wrap")]));

        Assert.Equal("E-1005", e.Error.Code);
        Assert.Equal(1, e.RowNumber);
        Assert.Contains("Column 8", e.Message);
        Assert.Contains("gift wrap", e.Message);
    }

    [Fact]
    public void A_column_named_like_a_result_property_is_kept_and_its_output_name_must_be_free()
    {
        var staging = Begin();
        staging.Add([.. BatchHarness.Order("C-1"), KeyValuePair.Create("JobId", "from the shop")]);
        Assert.Equal("Input_JobId", InputColumns.OutputName("JobId"));
        Assert.Equal("Input_cost", InputColumns.OutputName("cost"));
        Assert.Equal("Weight", InputColumns.OutputName("Weight"));

        var clash = Assert.Throws<BatchShipException>(() =>
            staging.Add([.. BatchHarness.Order("C-2"), KeyValuePair.Create("JobId", "a"), KeyValuePair.Create("input_jobid", "b")]));
        Assert.Equal("E-1005", clash.Error.Code);
        Assert.Contains("'JobId'", clash.Message);
        Assert.Contains("'input_jobid'", clash.Message);

        var twice = Assert.Throws<BatchShipException>(() => staging.Add([.. BatchHarness.Order("C-3"), KeyValuePair.Create("reference", "x")]));
        Assert.Equal("E-1005", twice.Error.Code);
        Assert.Contains("'Reference' and 'reference'", twice.Message);
    }
}
