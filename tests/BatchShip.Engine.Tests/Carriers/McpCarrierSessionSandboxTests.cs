using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>The carrier client against the real sandbox carrier, started over stdio with a ledger of its own.</summary>
[Trait("Category", "Integration")]
public sealed class McpCarrierSessionSandboxTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private string Ledger => Path.Combine(_folder.Path, "ledger.jsonl");

    public void Dispose() => _folder.Dispose();

    private static string Reference() => "BS-T-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Creates_a_shipment_and_finds_it_again_by_reference()
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger), CancellationToken.None);
        var reference = Reference();

        var created = Assert.IsType<CreateOutcome.Created>(await session.CreateShipmentAsync(ShipRequests.Ground(reference), CancellationToken.None));

        var package = Assert.Single(created.Shipment.Packages);
        Assert.Matches("^1Z[0-9A-Z]{16}$", package.TrackingNumber);
        Assert.Equal("GIF", package.LabelFormat);
        Assert.NotEmpty(package.LabelImage!);
        Assert.False(string.IsNullOrEmpty(created.Shipment.ShipmentId));
        Assert.True(created.Shipment.Cost > 0m);
        Assert.Equal("USD", created.Shipment.Currency);

        var found = Assert.IsType<LookupOutcome.Found>(
            await session.LookupByReferenceAsync(reference, SandboxCarrierProcess.ShipperNumber, CancellationToken.None));
        Assert.Equal(package.TrackingNumber, found.Shipment.Packages[0].TrackingNumber);
        Assert.True(session.IsAlive);
    }

    [Fact]
    public async Task Serves_concurrent_creates_from_several_workers_on_one_session()
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger), CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => session.CreateShipmentAsync(ShipRequests.Ground(Reference()), CancellationToken.None)));

        var tracking = outcomes.Select(o => Assert.IsType<CreateOutcome.Created>(o).Shipment.Packages[0].TrackingNumber).ToArray();
        Assert.Equal(6, tracking.Distinct().Count());
    }

    [Theory]
    [InlineData("fail_codes=120802:1", "E-3003", "120802", false)]
    [InlineData("rate_limit=1", "E-3002", "10429", true)]
    [InlineData("server_error=1", "E-3001", "120001", true)]
    [InlineData("auth_fail=1", "E-5001", "250002", false)]
    public async Task Maps_definite_refusals_through_the_catalogue(string faults, string expected, string carrierCode, bool retryable)
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger, faults), CancellationToken.None);

        var outcome = await session.CreateShipmentAsync(ShipRequests.Ground(Reference()), CancellationToken.None);

        var refused = Assert.IsType<CreateOutcome.Refused>(outcome);
        Assert.Equal(expected, refused.Error.Error.Code);
        Assert.Equal(carrierCode, refused.Error.CarrierCode);
        Assert.Equal(retryable, refused.Error.Error.Retryable);
    }

    [Fact]
    public async Task A_crash_after_create_is_unknown_and_a_new_session_finds_the_shipment()
    {
        var reference = Reference();
        await using (var crashing = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger, "crash_after_create=1"), CancellationToken.None))
        {
            var outcome = await crashing.CreateShipmentAsync(ShipRequests.Ground(reference), CancellationToken.None);

            Assert.IsType<CreateOutcome.Unknown>(outcome);
            await crashing.Closed.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(crashing.IsAlive);
            Assert.IsType<CreateOutcome.Unknown>(await crashing.CreateShipmentAsync(ShipRequests.Ground(Reference()), CancellationToken.None));
            Assert.IsType<LookupOutcome.Unavailable>(await crashing.LookupByReferenceAsync(reference, SandboxCarrierProcess.ShipperNumber, CancellationToken.None));
        }

        await using var restarted = await new McpCarrierSessionFactory(SandboxCarrierProcess.Profile(Ledger)).StartAsync(CancellationToken.None);
        var found = Assert.IsType<LookupOutcome.Found>(
            await restarted.LookupByReferenceAsync(reference, SandboxCarrierProcess.ShipperNumber, CancellationToken.None));

        // The ledger the crashed server wrote holds the very shipment the lookup found.
        Assert.Contains(found.Shipment.Packages[0].TrackingNumber, await File.ReadAllTextAsync(Ledger));
    }

    [Fact]
    public async Task A_hang_after_create_times_out_as_unknown()
    {
        var profile = SandboxCarrierProcess.Profile(Ledger, "hang_after_create=1", timeout: TimeSpan.FromSeconds(2));
        await using var session = await McpCarrierSession.StartAsync(profile, CancellationToken.None);

        var outcome = await session.CreateShipmentAsync(ShipRequests.Ground(Reference()), CancellationToken.None);

        var unknown = Assert.IsType<CreateOutcome.Unknown>(outcome);
        Assert.Contains("did not answer within 2 s", unknown.Reason);
    }

    [Fact]
    public async Task Looking_up_an_unknown_reference_is_not_found()
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger), CancellationToken.None);

        var outcome = await session.LookupByReferenceAsync(Reference(), SandboxCarrierProcess.ShipperNumber, CancellationToken.None);

        Assert.IsType<LookupOutcome.NotFound>(outcome);
    }

    [Fact]
    public async Task Lookup_off_is_unavailable()
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger, "lookup=off"), CancellationToken.None);

        var outcome = await session.LookupByReferenceAsync(Reference(), SandboxCarrierProcess.ShipperNumber, CancellationToken.None);

        Assert.IsType<LookupOutcome.Unavailable>(outcome);
    }

    [Fact]
    public async Task A_profile_without_a_lookup_tool_is_unavailable_without_calling_the_server()
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger) with { LookupTool = null }, CancellationToken.None);

        var outcome = await session.LookupByReferenceAsync(Reference(), SandboxCarrierProcess.ShipperNumber, CancellationToken.None);

        Assert.Contains("no lookup tool", Assert.IsType<LookupOutcome.Unavailable>(outcome).Reason);
    }

    [Fact]
    public async Task Tolerates_a_stray_line_on_stdout_before_the_protocol_starts()
    {
        if (OperatingSystem.IsWindows()) return; // /bin/sh is the point of this test
        var plain = SandboxCarrierProcess.Profile(Ledger);
        var profile = plain with
        {
            Command = "/bin/sh",
            Arguments = ["-c", $"echo Starting UPS MCP Server...; exec '{plain.Command}' '{SandboxCarrierProcess.AssemblyPath}'"],
        };
        await using var session = await McpCarrierSession.StartAsync(profile, CancellationToken.None);

        var outcome = await session.CreateShipmentAsync(ShipRequests.Ground(Reference()), CancellationToken.None);

        Assert.IsType<CreateOutcome.Created>(outcome);
    }

    [Fact]
    public async Task A_profile_naming_a_missing_create_tool_fails_to_start_with_a_configuration_error()
    {
        var profile = SandboxCarrierProcess.Profile(Ledger) with { CreateTool = "ship_it" };

        var ex = await Assert.ThrowsAsync<BatchShipException>(() => McpCarrierSession.StartAsync(profile, CancellationToken.None));

        Assert.Same(ErrorCatalog.Configuration, ex.Error);
        Assert.Contains("ship_it", ex.Message);
    }

    [Fact]
    public async Task A_command_that_cannot_start_is_a_carrier_that_did_not_start()
    {
        var profile = new CarrierProfile("Broken", Path.Combine(_folder.Path, "no-such-server")) { CallTimeout = TimeSpan.FromSeconds(10) };

        var ex = await Assert.ThrowsAsync<BatchShipException>(() => McpCarrierSession.StartAsync(profile, CancellationToken.None));

        Assert.Same(ErrorCatalog.CarrierDidNotStart, ex.Error);
        Assert.Contains("no-such-server", ex.Message);
    }

    [Fact]
    public async Task A_rendered_request_that_is_not_a_json_object_is_refused_without_a_call()
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger), CancellationToken.None);

        var refused = Assert.IsType<CreateOutcome.Refused>(await session.CreateShipmentAsync("[1, 2]", CancellationToken.None));

        Assert.Same(ErrorCatalog.Template, refused.Error.Error);
    }
}
