using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Tests.Infrastructure;

namespace BatchShip.SandboxCarrier.Tests;

/// <summary>server=official imitates UPS-API/ups-mcp: track_package and validate_address only, so a client that needs
/// a create or lookup tool finds it missing in tools/list, as against the real server.</summary>
public sealed class OfficialServerTests
{
    [Fact]
    public async Task Official_lists_only_track_package_and_validate_address()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=official");

        var tools = await sandbox.Client.ListToolsAsync();

        Assert.Equal(new[] { "track_package", "validate_address" }, tools.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Official_refuses_create_as_an_unknown_tool_and_ships_nothing()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=official");

        var reply = await sandbox.CreateAsync(Requests.Ship());

        Assert.True(reply.IsError);
        Assert.Contains("Unknown tool: create_shipment", reply.Text, StringComparison.Ordinal);
        Assert.False(File.Exists(sandbox.LedgerPath) && ShipmentLedger.ReadAll(sandbox.LedgerPath).Count > 0);
    }

    [Fact]
    public async Task Official_validates_an_address_with_its_flat_arguments()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=official");

        var reply = await sandbox.CallAsync("validate_address", new Dictionary<string, object?>
        {
            ["addressLine1"] = "1 Market St", ["politicalDivision1"] = "CA", ["politicalDivision2"] = "San Francisco",
            ["zipPrimary"] = "94105", ["countryCode"] = "US",
        });

        Assert.False(reply.IsError, reply.Text);
        Assert.NotNull(reply.Body!["XAVResponse"]);
    }
}
