using BatchShip.Engine.Carriers;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Tests.Execution;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>
/// A carrier that answers too much, too oddly or too revealingly, started for real over stdio
/// (tests/BatchShip.HostileCarrier), against a real store in a temp folder.
/// </summary>
public sealed class HostileCarrierTests : IDisposable
{
    private readonly BatchHarness _harness = new();
    private readonly TempFolder _folder = new();

    private string Ledger => _folder.Combine("hostile-ledger.txt");

    public void Dispose()
    {
        _harness.Dispose();
        _folder.Dispose();
    }

    private async Task<(RowRecord Row, JobSummary Summary)> ShipOneAsync(CarrierProfile profile)
    {
        var job = _harness.Stage([BatchHarness.Order("H-1")]);
        var summary = await new BatchExecutor(_harness.Store, new McpCarrierSessionFactory(profile), BatchHarness.FastRetries)
            .RunAsync(job.JobId, [new RecordingObserver()], CancellationToken.None);
        return (_harness.Store.GetRow(job.JobId, 1), summary);
    }

    [Fact]
    public async Task An_answer_longer_than_the_message_limit_is_an_unknown_outcome_settled_by_reference_and_sent_once()
    {
        var profile = HostileCarrierProcess.Profile("huge-line", Ledger, new Dictionary<string, string> { ["HOSTILE_SIZE_MB"] = "48" })
            with { MaxMessageBytes = 4 * 1024 * 1024 };

        var (row, _) = await ShipOneAsync(profile);

        Assert.Single(HostileCarrierProcess.Creates(Ledger));
        Assert.Equal(RowStatus.Completed, row.Status); // found again by its reference
        var audit = _harness.Store.ReadAudit(row.JobId);
        var unknown = Assert.Single(audit, a => a.Event == "OutcomeUnknown");
        Assert.Contains("limit", unknown.DetailJson, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_label_larger_than_the_label_limit_is_an_unknown_outcome_and_no_oversized_file_is_written()
    {
        var profile = HostileCarrierProcess.Profile("huge-label", Ledger, new Dictionary<string, string> { ["HOSTILE_SIZE_MB"] = "6" })
            with { MaxLabelBytes = 1024 * 1024 };

        var (row, _) = await ShipOneAsync(profile);

        Assert.Single(HostileCarrierProcess.Creates(Ledger));
        Assert.Equal(RowStatus.Completed, row.Status);
        Assert.Contains(_harness.Store.ReadAudit(row.JobId), a => a.Event == "OutcomeUnknown");
        Assert.All(row.LabelPaths, p => Assert.True(new FileInfo(p).Length <= 1024 * 1024, $"{p} is {new FileInfo(p).Length} bytes"));
    }

    [Fact]
    public async Task Endless_stderr_without_a_newline_neither_stops_the_call_nor_is_kept_whole()
    {
        var profile = HostileCarrierProcess.Profile("stderr", Ledger, new Dictionary<string, string> { ["HOSTILE_SIZE_MB"] = "64" });
        await using var session = await McpCarrierSession.StartAsync(profile, CancellationToken.None);

        var outcome = await session.CreateShipmentAsync(ShipRequests.Ground("BS-s-1"), CancellationToken.None);

        Assert.IsType<CreateOutcome.Created>(outcome);
        Assert.InRange(session.StandardErrorTail.Length, 1, McpCarrierSession.StandardErrorTailChars);
    }

    [Theory]
    [InlineData("HOSTILE_TRACKING", "=HYPERLINK(\"http://evil\",\"1Z\")")]
    [InlineData("HOSTILE_SHIPMENT_ID", "+1+cmd|' /C calc'!A0")]
    [InlineData("HOSTILE_CURRENCY", "-2+3")]
    [InlineData("HOSTILE_COST", "-5.00")]
    [InlineData("HOSTILE_TRACKING", "1Z999AA1;0123456784")]
    public async Task A_carrier_value_that_is_not_plain_never_reaches_a_result_and_the_row_needs_review(string variable, string value)
    {
        var profile = HostileCarrierProcess.Profile("formula", Ledger, new Dictionary<string, string> { [variable] = value });

        var (row, _) = await ShipOneAsync(profile);

        Assert.Single(HostileCarrierProcess.Creates(Ledger));
        Assert.Equal(RowStatus.NeedsReview, row.Status);
        Assert.Empty(row.TrackingNumbers);
        Assert.Null(row.ShipmentId);
        Assert.Null(row.Currency);
        Assert.DoesNotContain(_harness.Store.ReadAudit(row.JobId), a => a.DetailJson?.Contains(value.Split('"')[0], StringComparison.Ordinal) == true && a.Event == "RowCompleted");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("4")]
    public async Task A_profile_secret_the_carrier_echoes_is_masked_everywhere_and_its_text_is_capped(string? sizeMb)
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var variable = "HOSTILE_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var env = new Dictionary<string, string> { ["CLIENT_SECRET"] = "$env:" + variable, ["HOSTILE_ECHO"] = "CLIENT_SECRET" };
            if (sizeMb is not null) env["HOSTILE_SIZE_MB"] = sizeMb;
            var (row, summary) = await ShipOneAsync(HostileCarrierProcess.Profile("secret-echo", Ledger, env));

            Assert.Equal(JobStatus.Failed, summary.Job.Status);
            Assert.Equal("E-5001", summary.Job.LastErrorCode);
            Assert.Contains("***", summary.Job.LastErrorMessage);
            Assert.InRange(summary.Job.LastErrorMessage!.Length, 1, 4096);
            Assert.True(row.ErrorMessage is null || !row.ErrorMessage.Contains(secret, StringComparison.Ordinal));
            var store = _harness.Store.DatabasePath;
            _harness.Store.Dispose();
            foreach (var file in new[] { store, store + "-wal" }.Where(File.Exists))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
                var bytes = reader.ReadToEnd();
                Assert.DoesNotContain(secret, bytes, StringComparison.Ordinal);
                Assert.True(stream.Length < 2 * 1024 * 1024, $"{file} grew to {stream.Length} bytes");
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task The_carrier_gets_a_minimal_environment_plus_its_profiles_own_variables()
    {
        var parentOnly = "BATCHSHIP_TEST_PARENT_ONLY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(parentOnly, "not for the carrier");
        Environment.SetEnvironmentVariable("BATCHSHIP_SANDBOX_SEED", "7");
        try
        {
            var dump = _folder.Combine("env.txt");
            var profile = HostileCarrierProcess.Profile("env-dump", Ledger, new Dictionary<string, string> { ["HOSTILE_ENV_FILE"] = dump, ["ENVIRONMENT"] = "test" });
            await using var session = await McpCarrierSession.StartAsync(profile, CancellationToken.None);

            Assert.IsType<CreateOutcome.Created>(await session.CreateShipmentAsync(ShipRequests.Ground("BS-env-1"), CancellationToken.None));

            var names = File.ReadAllLines(dump);
            Assert.DoesNotContain(parentOnly, names);
            Assert.Contains("PATH", names);
            Assert.Contains("ENVIRONMENT", names);     // the profile's own
            Assert.Contains("HOSTILE_ENV_FILE", names);
            Assert.Contains("BATCHSHIP_SANDBOX_SEED", names); // the sandbox's settings travel
        }
        finally
        {
            Environment.SetEnvironmentVariable(parentOnly, null);
            Environment.SetEnvironmentVariable("BATCHSHIP_SANDBOX_SEED", null);
        }
    }
}
