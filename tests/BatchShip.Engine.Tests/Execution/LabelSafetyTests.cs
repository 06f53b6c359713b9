using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Tests.Carriers;
using BatchShip.Engine.Tests.Templates;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>A label that was paid for is never lost without a word, and cleaning up never touches other files.</summary>
public sealed class LabelSafetyTests : IDisposable
{
    private readonly BatchHarness _harness = new();
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _harness.Dispose();
        _folder.Dispose();
    }

    // A folder that cannot be created, even by root: its parent is a file.
    private string Unwritable() => Path.Combine(_folder.File("not-a-folder", "x"), "labels");

    [Fact]
    public void Prepare_refuses_a_label_folder_it_cannot_write_before_anything_is_bought()
    {
        var service = new BatchService(_harness.Store, Path.GetDirectoryName(TemplateKit.BuiltInDirectory)!);
        var request = new BatchRequest("ups-ground", TemplateKit.Shipper.ToDictionary(k => k.Key, k => (string?)k.Value), CarrierProfiles.SandboxName,
            null, Unwritable(), new JobOptions());

        var e = Assert.Throws<BatchShipException>(() => service.Prepare(request));

        Assert.Equal(ErrorCatalog.FileSystem, e.Error);
        Assert.Equal("LabelDirectory", e.Field);
        Assert.Contains(Unwritable(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_label_that_cannot_be_written_after_the_purchase_is_kept_privately_and_the_row_says_so()
    {
        var job = _harness.Store.CreateJob(new NewJob("test", "ups-ground", BatchHarness.UpsGround, CarrierProfiles.SandboxName,
            BatchHarness.Shipper, Unwritable(), new JobOptions()));
        var stager = _harness.Store.BeginStaging(job.JobId);
        var order = BatchHarness.Order("LBL-1");
        stager.Add(order, NaturalKeys.For(order, job.Options.KeyProperty, job.Carrier, BatchHarness.Shipper["ShipperNumber"], 1));
        stager.Complete();

        var (summary, _) = await _harness.RunAsync(job.JobId);

        var row = _harness.Store.GetRow(job.JobId, 1);
        Assert.Equal(RowStatus.Completed, row.Status);
        var path = Assert.Single(row.LabelPaths);
        Assert.True(File.Exists(path), path);
        Assert.True(LabelWriter.IsUnsaved(path), path);
        Assert.StartsWith(_harness.Store.Folder, path, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
        Assert.Contains(_harness.Store.ReadAudit(job.JobId), a => a.Event == "LabelNotWritten");
        Assert.Equal(JobStatus.Completed, summary.Job.Status);

        var copies = LabelWriter.CopyTo(row.LabelPaths, _folder.Combine("again"));
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(Assert.Single(copies)));
    }

    [Fact]
    public async Task Two_packages_with_one_tracking_number_get_two_label_files()
    {
        var ledger = _folder.Combine("hostile.txt");
        var job = _harness.Stage([BatchHarness.Order("PKG-1")]);
        var profile = HostileCarrierProcess.Profile("normal", ledger, new Dictionary<string, string> { ["HOSTILE_PACKAGES"] = "2" });

        await new BatchExecutor(_harness.Store, new McpCarrierSessionFactory(profile), BatchHarness.FastRetries)
            .RunAsync(job.JobId, [new RecordingObserver()], CancellationToken.None);

        var row = _harness.Store.GetRow(job.JobId, 1);
        Assert.Equal(RowStatus.Completed, row.Status);
        Assert.Equal(2, row.LabelPaths.Distinct(StringComparer.Ordinal).Count());
        Assert.All(row.LabelPaths, p => Assert.True(File.Exists(p), p));
    }

    [Fact]
    public void Cleaning_up_removes_only_this_modules_own_leftovers()
    {
        var folder = _folder.Combine("shared-labels");
        Directory.CreateDirectory(folder);
        var mine = _folder.File("shared-labels/abcd2345-4-1-1Z0000000000000000.gif.partial", "half a label");
        var someoneElses = _folder.File("shared-labels/quarterly-report.xlsx.partial", "not ours");
        var download = _folder.File("shared-labels/movie.mkv.partial", "not ours either");
        var live = _folder.File($"shared-labels/efgh6789-1-1-1Z1111111111111111.gif.{Environment.ProcessId}.partial", "being written");

        new LabelWriter(folder).RemoveLeftovers();

        Assert.False(File.Exists(mine));
        Assert.True(File.Exists(someoneElses));
        Assert.True(File.Exists(download));
        Assert.True(File.Exists(live), "a label another runner is writing right now stays");
    }
}
