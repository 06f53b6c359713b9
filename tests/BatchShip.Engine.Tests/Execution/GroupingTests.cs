using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using BatchShip.Engine.Templates;
using BatchShip.Engine.Tests.Carriers;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>-GroupBy: the rows of one order staged as a group whose first row carries the order through the row
/// protocol while the others move with it. A real store in a temp folder.</summary>
public sealed class GroupingTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly BatchStore _store;
    private readonly ShipmentTemplate _template = ShipmentTemplate.Parse("ups-ground", BatchHarness.UpsGround);

    public GroupingTests() => _store = BatchStore.Open(_folder.Combine("store"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private static readonly JobOptions Grouped = new() { GroupBy = "Reference" };

    private JobStaging Begin(JobOptions options)
    {
        var request = new BatchRequest("ups-ground", new Dictionary<string, string?>(), "Sandbox", "grouping", _folder.Combine("labels"), options);
        var batch = new PreparedBatch(request, _template, BatchHarness.Shipper, SandboxCarrierProcess.Profile(_folder.Combine("ledger.jsonl")));
        var job = _store.CreateJob(new NewJob(request.Name, batch.Template.Name, batch.Template.Source, batch.Carrier.Name,
            batch.Shipper, request.LabelDirectory, batch.Options));
        return new JobStaging(job, _store.BeginStaging(job.JobId), batch, null);
    }

    private string StageLines(params string[] references)
    {
        var staging = Begin(Grouped);
        foreach (var reference in references) staging.Add(BatchHarness.Order(reference));
        staging.Complete();
        return staging.Job.JobId;
    }

    private static RowRecord Row(long number, long group, params (string Name, string Value)[] columns) =>
        new("job", number, columns.Select(c => KeyValuePair.Create(c.Name, c.Value)).ToArray(), null, $"BS-job-{number}", null,
            RowStatus.Pending, [], null, null, null, [], null, null, null, null, 0, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)
        { GroupRow = group };

    [Fact]
    public void Rows_of_one_order_are_staged_as_a_group_of_its_first_row_and_only_that_row_is_dispatched()
    {
        // Without -GroupBy the third row would be E-1004; the order's rows need not be next to each other.
        var jobId = StageLines("ORD-1", "ORD-2", "ord-1 ");

        var rows = _store.GetRows(jobId);
        Assert.Equal([1L, 2L, 1L], rows.Select(r => r.GroupRow!.Value));
        Assert.Equal(rows[0].NaturalKey, rows[2].NaturalKey);
        Assert.Equal([1L, 2L], _store.PendingRows(jobId, 0, 10).Select(r => r.RowNumber));
        Assert.Equal([3L], _store.GroupMembers(jobId, 1).Select(r => r.RowNumber));
    }

    [Fact]
    public void The_other_rows_of_a_group_take_every_state_of_its_first_row_in_the_same_commit()
    {
        var jobId = StageLines("ORD-1", "ORD-1", "ORD-2");

        Assert.Equal(BeginKind.Started, _store.TryBeginInFlight(jobId, 1, "hash", allowDuplicate: false).Kind);
        Assert.Equal(RowStatus.InFlight, _store.GetRow(jobId, 2).Status);
        Assert.Equal(RowStatus.Pending, _store.GetRow(jobId, 3).Status);

        _store.CompleteRow(jobId, 1, RowStatus.InFlight, new ShipmentFacts("1ZSHIP", ["1ZSHIP"], 12.5m, "USD", ["label.gif"]), "Created");

        var member = _store.GetRow(jobId, 2);
        Assert.Equal(RowStatus.Completed, member.Status);
        Assert.Equal(["1ZSHIP"], member.TrackingNumbers);
        Assert.Equal(["label.gif"], member.LabelPaths);
        Assert.Null(member.Cost); // the order's cost counts once, on its first row
        Assert.Equal(12.5m, _store.GetRow(jobId, 1).Cost);
        Assert.Equal(RowStatus.Pending, _store.GetRow(jobId, 3).Status);
    }

    [Fact]
    public void A_failed_group_fails_every_row_with_the_error_and_a_retry_puts_them_all_back()
    {
        var jobId = StageLines("ORD-1", "ORD-1");
        var error = new BatchShipException(ErrorCatalog.GroupAddressMismatch, "Rows 1, 2 disagree.", "Address1", 1, jobId);

        _store.FailRow(jobId, 1, RowStatus.Pending, error);
        var member = _store.GetRow(jobId, 2);
        Assert.Equal(RowStatus.Failed, member.Status);
        Assert.Equal("E-1009", member.ErrorCode);
        Assert.Equal("Address1", member.ErrorField);

        _store.ReturnToPending(jobId, 1, RowStatus.Failed, "retry");
        Assert.Equal(RowStatus.Pending, _store.GetRow(jobId, 2).Status);
    }

    [Fact]
    public void A_decision_on_any_row_of_a_group_under_review_settles_the_whole_group()
    {
        var jobId = StageLines("ORD-1", "ORD-1", "ORD-1");
        _store.TryBeginInFlight(jobId, 1, "hash", allowDuplicate: false);
        _store.MarkNeedsReview(jobId, 1, "the carrier could not say");
        Assert.Equal(RowStatus.NeedsReview, _store.GetRow(jobId, 3).Status);

        _store.ResolveAsShipped(jobId, 3, "1ZFOUND");

        Assert.All(_store.GetRows(jobId), r =>
        {
            Assert.Equal(RowStatus.Completed, r.Status);
            Assert.Equal(["1ZFOUND"], r.TrackingNumbers);
        });
    }

    [Fact]
    public void Merge_sums_the_weights_into_one_package_with_the_first_rows_address()
    {
        var leader = Row(1, 1, ("Address1", "1 Market St"), ("Zip", "94105"), ("WeightLb", "2"), ("PackageCount", "3"), ("Sku", "A"));
        var members = new[] { Row(4, 1, ("Address1", "1 market st "), ("Zip", "94105"), ("WeightLb", "1 kg"), ("Sku", "B")) };

        var merged = OrderGroup.Merge(_template, Grouped, leader, members).Input.ToDictionary(c => c.Key, c => c.Value);

        Assert.Equal("4.3", merged["WeightLb"]); // 2 lb + 1 kg (2.2 lb, rounded up to a tenth)
        Assert.Equal("1", merged["PackageCount"]);
        Assert.Equal("A", merged["Sku"]);
        Assert.Equal("1 Market St", merged["Address1"]);
    }

    [Fact]
    public void Merge_refuses_rows_that_disagree_on_the_address_naming_the_rows_and_the_column_as_the_input_has_it()
    {
        // Zip is the template's other name for PostalCode: the message names the input's own column.
        var leader = Row(2, 2, ("Address1", "1 Market St"), ("Zip", "94105"), ("WeightLb", "2"));
        var members = new[]
        {
            Row(5, 2, ("Address1", "1 Market St"), ("Zip", "94105"), ("WeightLb", "1")),
            Row(7, 2, ("Address1", "1 Market St"), ("Zip", "94107"), ("WeightLb", "1")),
        };

        var e = Assert.Throws<BatchShipException>(() => OrderGroup.Merge(_template, Grouped, leader, members));

        Assert.Same(ErrorCatalog.GroupAddressMismatch, e.Error);
        Assert.Equal("Zip", e.Field);
        Assert.Equal(2, e.RowNumber);
        Assert.Contains("Rows 2, 5, 7", e.Message);
        Assert.Contains("row 7 has '94107'", e.Message);
    }

    private static readonly JobOptions PerRow = new() { GroupBy = "Reference", PackagePerRow = true };

    private static readonly (string Name, string Value)[] Address =
        [("RecipientName", "Jane Doe"), ("Address1", "1 Market St"), ("City", "San Francisco"), ("State", "CA"), ("PostalCode", "94105"), ("Reference", "ORD-1")];

    private static RowRecord Line(long number, long group, params (string Name, string Value)[] columns) => Row(number, group, [.. Address, .. columns]);

    // The Package list of the request the template renders for a group's leader.
    private System.Text.Json.JsonElement[] RenderPackages(JobOptions options, RowRecord leader, params RowRecord[] members)
    {
        var order = OrderGroup.Merge(_template, options, leader, members);
        var json = _template.Render(new TemplateInput(leader.RowNumber, order.Input, BatchHarness.Shipper, "job", "grouping", leader.Reference, Packages: order.Packages));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("request_body").GetProperty("ShipmentRequest").GetProperty("Shipment").GetProperty("Package")
            .EnumerateArray().Select(p => p.Clone()).ToArray();
    }

    private static string Weight(System.Text.Json.JsonElement package) => package.GetProperty("PackageWeight").GetProperty("Weight").GetString()!;

    [Fact]
    public void PackagePerRow_merges_and_renders_a_three_row_order_as_three_packages_with_each_rows_weight_in_row_order()
    {
        // Row 4 gives all three dimensions; row 6 gives only two, so its package has none. PackageCount is not read.
        var leader = Line(1, 1, ("WeightLb", "2"), ("PackageCount", "5"));
        var second = Line(4, 1, ("WeightLb", "1 kg"), ("LengthIn", "12"), ("WidthIn", "30 cm"), ("HeightIn", "4"));
        var third = Line(6, 1, ("WeightLb", "500 g"), ("LengthIn", "10"), ("WidthIn", "8"));

        var order = OrderGroup.Merge(_template, PerRow, leader, [second, third]);
        Assert.Equal([1L, 4L, 6L], order.Packages!.Select(p => p.RowNumber));
        Assert.Equal(["2.0", "2.3", "1.2"], order.Packages!.Select(p => p.WeightLb));

        var packages = RenderPackages(PerRow, leader, second, third);
        Assert.Equal(["2.0", "2.3", "1.2"], packages.Select(Weight));
        Assert.False(packages[0].TryGetProperty("Dimensions", out _));
        var dimensions = packages[1].GetProperty("Dimensions");
        Assert.Equal(["12.0", "11.9", "4.0"], new[] { "Length", "Width", "Height" }.Select(d => dimensions.GetProperty(d).GetString()!));
        Assert.False(packages[2].TryGetProperty("Dimensions", out _));
        Assert.All(packages, p => Assert.Equal("BS-job-1", p.GetProperty("ReferenceNumber")[0].GetProperty("Value").GetString()));
    }

    [Fact]
    public void Without_PackagePerRow_an_order_still_renders_one_package_of_the_summed_weight_and_a_row_its_PackageCount()
    {
        var leader = Line(1, 1, ("WeightLb", "2"), ("PackageCount", "5"));
        var second = Line(4, 1, ("WeightLb", "1 kg"));
        Assert.Null(OrderGroup.Merge(_template, Grouped, leader, [second]).Packages);
        Assert.Equal(["4.3"], RenderPackages(Grouped, leader, second).Select(Weight));

        // An ungrouped row: PackageCount identical packages, each with the row's dimensions.
        var row = Row(3, 3, [.. Address, ("WeightLb", "3"), ("PackageCount", "2"), ("LengthIn", "10"), ("WidthIn", "8"), ("HeightIn", "6")]);
        var json = _template.Render(new TemplateInput(3, row.Input, BatchHarness.Shipper, "job", "grouping", row.Reference));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var packages = document.RootElement.GetProperty("request_body").GetProperty("ShipmentRequest").GetProperty("Shipment").GetProperty("Package").EnumerateArray().ToArray();
        Assert.Equal(["3.0", "3.0"], packages.Select(Weight));
        Assert.All(packages, p => Assert.Equal("10.0", p.GetProperty("Dimensions").GetProperty("Length").GetString()));
    }

    [Fact]
    public void PackagePerRow_names_the_row_and_column_of_a_bad_weight_or_dimension()
    {
        var leader = Line(1, 1, ("WeightLb", "2"));
        var e = Assert.Throws<BatchShipException>(() => OrderGroup.Merge(_template, PerRow, leader, [Line(5, 1, ("WeightLb", "2,5"))]));
        Assert.Same(ErrorCatalog.Weight, e.Error);
        Assert.Equal(5, e.RowNumber);
        Assert.Equal("WeightLb", e.Field);

        e = Assert.Throws<BatchShipException>(() => OrderGroup.Merge(_template, PerRow, leader,
            [Line(7, 1, ("WeightLb", "1"), ("LengthIn", "10"), ("WidthIn", "wide"), ("HeightIn", "2"))]));
        Assert.Same(ErrorCatalog.Package, e.Error);
        Assert.Equal(7, e.RowNumber);
        Assert.Equal("WidthIn", e.Field);
    }

    [Fact]
    public void PackagePerRow_refuses_an_order_of_more_than_200_rows_naming_the_order_before_anything_is_rendered()
    {
        var leader = Line(1, 1, ("WeightLb", "1"));
        var members = Enumerable.Range(2, 200).Select(n => Line(n, 1, ("WeightLb", "1"))).ToArray();

        var e = Assert.Throws<BatchShipException>(() => OrderGroup.Merge(_template, PerRow, leader, members));

        Assert.Same(ErrorCatalog.OrderTooLarge, e.Error);
        Assert.Equal("E-1010", e.Error.Code);
        Assert.Equal(1, e.RowNumber);
        Assert.Contains("'ORD-1'", e.Message);
        Assert.Contains("201 rows", e.Message);
        Assert.Equal(200, OrderGroup.Merge(_template, PerRow, leader, members[..199]).Packages!.Count);
    }

    [Fact]
    public void Completing_an_order_shipped_with_a_package_per_row_gives_each_row_its_own_packages_tracking_number()
    {
        var jobId = StageLines("ORD-1", "ORD-2", "ORD-1", "ORD-1");
        _store.TryBeginInFlight(jobId, 1, "hash", allowDuplicate: false);

        _store.CompleteRow(jobId, 1, RowStatus.InFlight, new ShipmentFacts("1ZSHIP", ["1ZP1", "1ZP3", "1ZP4"], 12.5m, "USD", [])
        {
            PackageTrackingByRow = new Dictionary<long, string> { [1] = "1ZP1", [3] = "1ZP3", [4] = "1ZP4" },
        }, "Created");

        var rows = _store.GetRows(jobId);
        Assert.Equal(["1ZP1", null, "1ZP3", "1ZP4"], rows.Select(r => r.PackageTrackingNumber));
        Assert.All(rows.Where(r => r.GroupRow == 1), r => Assert.Equal(["1ZP1", "1ZP3", "1ZP4"], r.TrackingNumbers));
    }
}
