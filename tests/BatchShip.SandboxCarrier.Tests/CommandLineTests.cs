using System.Text.Json;
using BatchShip.SandboxCarrier.Tests.Infrastructure;

namespace BatchShip.SandboxCarrier.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_explains_both_modes_and_every_fault_switch()
    {
        var result = await CliRunner.RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var word in new[] { "stdio", "ledger", "--path", "BATCHSHIP_SANDBOX_FAULTS", "BATCHSHIP_SANDBOX_SEED", "BATCHSHIP_SANDBOX_LEDGER",
                     "latency=", "jitter=", "rate_limit=", "server_error=", "auth_fail=", "fail_codes=", "crash_after_create=", "hang_after_create=", "lookup=" })
            Assert.Contains(word, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_arguments_print_usage_on_stderr_and_exit_2()
    {
        var result = await CliRunner.RunAsync(["--frobnicate"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains("--frobnicate", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Usage:", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("latency=150ms;explode=1", "explode=1")]
    [InlineData("rate_limit=2", "rate_limit=2")]
    [InlineData("latency=150", "latency=150")]
    [InlineData("fail_codes=120802", "fail_codes=120802")]
    [InlineData("lookup=maybe", "lookup=maybe")]
    public async Task A_malformed_fault_specification_stops_start_up_with_exit_code_2(string faults, string entry)
    {
        var result = await CliRunner.RunAsync([], new Dictionary<string, string>
        {
            ["BATCHSHIP_SANDBOX_FAULTS"] = faults,
            ["BATCHSHIP_SANDBOX_LEDGER"] = Path.Combine(SandboxPaths.NewTempDirectory(), "ledger.jsonl"),
        });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{entry}'", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task The_ledger_verb_prints_exactly_the_documented_keys()
    {
        var ledger = Path.Combine(SandboxPaths.NewTempDirectory(), "ledger.jsonl");
        string id;
        await using (var sandbox = await SandboxClient.StartAsync(ledgerPath: ledger))
        {
            var created = await sandbox.CreateAsync(Requests.Ship("VERB-1", packages: 2));
            id = (string)created.Ok["ShipmentResponse"]!["ShipmentResults"]!["ShipmentIdentificationNumber"]!;
            await sandbox.CreateAsync(Requests.Ship("VERB-2"));
            await sandbox.CallAsync("void_shipment", new Dictionary<string, object?> { ["shipmentidentificationnumber"] = id });
        }

        // The default location comes from the environment when --path is absent.
        var result = await CliRunner.RunAsync(["ledger"], new Dictionary<string, string> { ["BATCHSHIP_SANDBOX_LEDGER"] = ledger });

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(
            new[] { "shipmentId", "trackingNumbers", "references", "customerContext", "cost", "currency", "createdAt", "voided",
                "serviceCode", "serviceName", "shipTo", "voidedAt" },
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(id, root.GetProperty("shipmentId").GetString());
        Assert.Equal(2, root.GetProperty("trackingNumbers").GetArrayLength());
        Assert.Equal("VERB-1", root.GetProperty("references")[0].GetString());
        Assert.Equal("ctx-VERB-1", root.GetProperty("customerContext").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("cost").ValueKind);
        Assert.Matches(@"^\d+\.\d{2}$", root.GetProperty("cost").GetString());
        Assert.Equal("USD", root.GetProperty("currency").GetString());
        Assert.EndsWith("Z", root.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("voided").GetBoolean());
        Assert.EndsWith("Z", root.GetProperty("voidedAt").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("serviceCode").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("serviceName").GetString()));
        var shipTo = root.GetProperty("shipTo");
        Assert.Equal(new[] { "name", "attentionName", "lines", "city", "state", "postalCode", "country" },
            shipTo.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.False(string.IsNullOrEmpty(shipTo.GetProperty("city").GetString()));
        using var second = JsonDocument.Parse(lines[1]);
        Assert.False(second.RootElement.GetProperty("voided").GetBoolean());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("voidedAt").ValueKind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("latency=150ms;jitter=50ms;rate_limit=0.2;fail_codes=120802:0.1,120500:0.05;lookup=off")]
    public async Task Check_faults_accepts_a_valid_specification_without_serving(string faults)
    {
        var result = await CliRunner.RunAsync(["check-faults", faults]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal("", result.StandardError);
    }

    [Theory]
    [InlineData("latency=150ms;explode=1", "explode=1")]
    [InlineData("rate_limit=2", "rate_limit=2")]
    [InlineData("lookup=maybe", "lookup=maybe")]
    public async Task Check_faults_refuses_what_start_up_refuses_with_exit_code_2(string faults, string entry)
    {
        var result = await CliRunner.RunAsync(["check-faults", faults]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{entry}'", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
    }
}
