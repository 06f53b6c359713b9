using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tests;

/// <summary>The sandbox refuses the way each real UPS MCP server does, in that server's format.</summary>
public sealed class ServerFlavourTests
{
    private static int LedgerCount(SandboxClient sandbox) =>
        File.Exists(sandbox.LedgerPath) ? ShipmentLedger.ReadAll(sandbox.LedgerPath).Count : 0;

    private static JsonObject ToCanada(JsonObject request)
    {
        var address = Requests.Shipment(request)["ShipTo"]!["Address"]!.AsObject();
        address["City"] = "Toronto";
        address["StateProvinceCode"] = "ON";
        address["PostalCode"] = "M5V 2T6";
        address["CountryCode"] = "CA";
        Requests.Shipment(request)["Service"] = new JsonObject { ["Code"] = "11" };
        return request;
    }

    [Fact]
    public async Task Matt_hans_refuses_a_shipment_leaving_the_us_without_customs_forms_before_ups()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=matt-hans");

        var reply = await sandbox.CreateAsync(ToCanada(Requests.Ship()));

        Assert.True(reply.IsError);
        Assert.Equal("STRUCTURAL_FIELDS_REQUIRED", (string)reply.Body!["code"]!);
        var missing = Assert.Single(reply.Body["missing"]!.AsArray())!;
        Assert.Equal("ShipmentRequest.Shipment.ShipmentServiceOptions.InternationalForms", (string)missing["dot_path"]!);
        Assert.Equal("international_forms", (string)missing["flat_key"]!);
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Fact]
    public async Task The_default_server_ships_the_same_shipment_to_canada()
    {
        await using var sandbox = await SandboxClient.StartAsync();

        var reply = await sandbox.CreateAsync(ToCanada(Requests.Ship()));

        Assert.False(reply.IsError, reply.Text);
    }

    [Fact]
    public async Task Matt_hans_names_missing_required_fields_with_elicitation_unsupported()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=matt-hans");
        var request = Requests.Ship();
        var address = Requests.Shipment(request)["ShipTo"]!["Address"]!.AsObject();
        address.Remove("StateProvinceCode");
        address.Remove("City");

        var reply = await sandbox.CreateAsync(request);

        Assert.Equal("ELICITATION_UNSUPPORTED", (string)reply.Body!["code"]!);
        Assert.Equal(
            ["ShipmentRequest.Shipment.ShipTo.Address.City", "ShipmentRequest.Shipment.ShipTo.Address.StateProvinceCode"],
            reply.Body["missing"]!.AsArray().Select(m => (string)m!["dot_path"]!).ToArray());
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Theory]
    [InlineData("oauth_fail=1", "401 Client Error: Unauthorized for url: https://wwwcie.ups.com/security/v1/oauth/token")]
    [InlineData("unreachable=1", "Failed to establish a new connection: [Errno 111] Connection refused")]
    public async Task Request_errors_come_as_matt_hans_sends_them_and_create_nothing(string faults, string message)
    {
        await using var sandbox = await SandboxClient.StartAsync(faults);

        var reply = await sandbox.CreateAsync(Requests.Ship());

        Assert.Equal("REQUEST_ERROR", (string)reply.Body!["code"]!);
        Assert.Contains(message, (string)reply.Body["message"]!);
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Fact]
    public async Task The_call_log_records_every_call_and_its_outcome()
    {
        var folder = SandboxPaths.NewTempDirectory();
        var log = Path.Combine(folder, "calls.jsonl");
        await using (var sandbox = await SandboxClient.StartAsync("fail_codes=120802:1", callLog: log))
        {
            await sandbox.CreateAsync(Requests.Ship());
        }

        var line = JsonNode.Parse(Assert.Single(File.ReadAllLines(log)))!;
        Assert.Equal("create_shipment", (string)line["tool"]!);
        Assert.Equal("refused", (string)line["outcome"]!);
        Assert.Equal("120802", (string)line["code"]!);
    }
}
