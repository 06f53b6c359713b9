using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tests;

/// <summary>
/// server=shipagent and server=typescript speak the TypeScript servers' own tool shapes: ShipAgent's shipping_create
/// and roscoej's friendly create_shipment, with zod's refusal of a number sent as a string, their own answers and
/// their own refusals.
/// </summary>
public sealed class TypeScriptServerTests
{
    private static int LedgerCount(SandboxClient sandbox) =>
        File.Exists(sandbox.LedgerPath) ? ShipmentLedger.ReadAll(sandbox.LedgerPath).Count : 0;

    private static JsonObject Address(string name, string line, string city, string state, string zip) => new()
    {
        ["name"] = name, ["attentionName"] = name, ["phone"] = "6175550100", ["addressLine1"] = line,
        ["city"] = city, ["stateProvinceCode"] = state, ["postalCode"] = zip, ["countryCode"] = "US",
    };

    private static JsonObject Shipper => Address("Harbor Supply", "200 Summer Street", "Boston", "MA", "02210");

    private static JsonObject Recipient => Address("Jane Doe", "1 Market St", "San Francisco", "CA", "94105");

    /// <summary>What the shipagent-ground template renders for one row.</summary>
    private static JsonObject ShipAgentArguments(JsonNode weight) => new()
    {
        ["shipper"] = Shipper,
        ["shipTo"] = Recipient,
        ["packages"] = new JsonArray(new JsonObject { ["length"] = 10, ["width"] = 8, ["height"] = 4, ["packagingType"] = "02", ["weight"] = weight }),
        ["serviceCode"] = "03",
        ["description"] = "Merchandise",
        ["reference"] = "ORDER-1",
    };

    /// <summary>What the roscoej-ground template renders for one row.</summary>
    private static JsonObject RoscoejArguments() => new()
    {
        ["service"] = "03",
        ["shipFrom"] = Shipper,
        ["shipTo"] = Recipient,
        ["packages"] = new JsonArray(new JsonObject { ["packaging"] = "02", ["weight"] = 2.5 }),
        ["description"] = "Merchandise",
        ["labelFormat"] = "GIF",
    };

    private static ValueTask<CallToolResult> Call(SandboxClient sandbox, string tool, JsonObject arguments) =>
        sandbox.Client.CallToolAsync(tool, arguments.ToDictionary(p => p.Key, p => (object?)SandboxClient.ToElement(p.Value!)));

    private static string TextOf(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    [Fact]
    public async Task Shipagent_offers_shipping_create_and_no_lookup()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=shipagent");

        var tools = await sandbox.Client.ListToolsAsync();

        Assert.Equal(["shipping_create"], tools.Select(t => t.Name).ToArray());
    }

    [Fact]
    public async Task Shipagent_ships_and_returns_the_paths_of_the_labels_it_wrote_beside_the_ledger()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=shipagent");

        var result = await Call(sandbox, "shipping_create", ShipAgentArguments(2.5));

        Assert.False(result.IsError, TextOf(result));
        var body = JsonNode.Parse(TextOf(result))!;
        Assert.True((bool)body["success"]!);
        var tracking = (string)Assert.Single(body["trackingNumbers"]!.AsArray())!;
        Assert.StartsWith("1Z999AA1", tracking, StringComparison.Ordinal);
        Assert.Equal(tracking, (string)body["shipmentIdentificationNumber"]!);
        var label = (string)Assert.Single(body["labelPaths"]!.AsArray())!;
        Assert.True(Path.IsPathFullyQualified(label));
        Assert.Equal(Path.Combine(Path.GetDirectoryName(sandbox.LedgerPath)!, "shipagent-labels", tracking + ".pdf"), label);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(label), 0, 4));
        Assert.Equal("USD", (string)body["totalCharges"]!["currencyCode"]!);
        var shipment = Assert.Single(ShipmentLedger.ReadAll(sandbox.LedgerPath));
        Assert.Equal((string)body["totalCharges"]!["monetaryValue"]!, shipment.Created.PublishedCost);
        // The reference argument never reaches "UPS": nothing can find the shipment by it.
        Assert.Empty(shipment.References);
        Assert.Null(shipment.Created.CustomerContext);
    }

    [Fact]
    public async Task Shipagent_refuses_a_weight_written_as_a_string_as_the_typescript_sdk_does()
    {
        var log = Path.Combine(SandboxPaths.NewTempDirectory(), "calls.jsonl");
        await using var sandbox = await SandboxClient.StartAsync("server=shipagent", callLog: log);

        var result = await Call(sandbox, "shipping_create", ShipAgentArguments("2.5"));

        Assert.True(result.IsError);
        var text = TextOf(result);
        Assert.StartsWith("MCP error -32602: Input validation error: Invalid arguments for tool shipping_create: ", text, StringComparison.Ordinal);
        var issue = Assert.Single(JsonNode.Parse(text[text.IndexOf('[', StringComparison.Ordinal)..])!.AsArray())!;
        Assert.Equal("invalid_type", (string)issue["code"]!);
        Assert.Equal("Expected number, received string", (string)issue["message"]!);
        Assert.Equal("[\"packages\",0,\"weight\"]", issue["path"]!.ToJsonString());
        Assert.Equal(0, LedgerCount(sandbox));
        Assert.Contains("\"code\":\"-32602\"", File.ReadAllText(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shipagent_refusals_carry_the_ups_code_in_brackets()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=shipagent;fail_codes=120802:1");

        var result = await Call(sandbox, "shipping_create", ShipAgentArguments(2.5));

        Assert.True(result.IsError);
        var body = JsonNode.Parse(TextOf(result))!;
        Assert.Equal("UPS API error", (string)body["error"]!);
        Assert.Equal("UPS API Error [120802]: Address Validation Error on ShipTo address", (string)body["message"]!);
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Fact]
    public async Task Typescript_offers_only_its_friendly_create_shipment()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=typescript");

        var tool = Assert.Single(await sandbox.Client.ListToolsAsync());

        Assert.Equal("create_shipment", tool.Name);
        Assert.True(tool.JsonSchema.GetProperty("properties").TryGetProperty("shipFrom", out _));
        Assert.False(tool.JsonSchema.GetProperty("properties").TryGetProperty("request_body", out _));
    }

    [Fact]
    public async Task Typescript_ships_friendly_arguments_and_answers_ups_json()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=typescript");

        var result = await Call(sandbox, "create_shipment", RoscoejArguments());

        Assert.False(result.IsError, TextOf(result));
        var results = JsonNode.Parse(TextOf(result))!["ShipmentResponse"]!["ShipmentResults"]!;
        var package = Assert.Single(results["PackageResults"]!.AsArray())!;
        Assert.Equal("GIF", (string)package["ShippingLabel"]!["ImageFormat"]!["Code"]!);
        var shipment = Assert.Single(ShipmentLedger.ReadAll(sandbox.LedgerPath));
        Assert.Equal((string)results["ShipmentIdentificationNumber"]!, shipment.ShipmentId);
        Assert.Equal("999AA1", shipment.Created.ShipperNumber);
        Assert.Equal("2.5 LBS", Assert.Single(shipment.Created.PackageWeights!));
    }

    [Fact]
    public async Task Typescript_puts_the_reference_at_shipment_level_which_ups_refuses_within_the_us()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=typescript");
        var arguments = RoscoejArguments();
        arguments["referenceNumber"] = "ORDER-1";

        var result = await Call(sandbox, "create_shipment", arguments);

        Assert.True(result.IsError);
        Assert.Equal("Shipment level reference numbers are not allowed for US to US shipments; use package level reference numbers", TextOf(result));
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Fact]
    public async Task Typescript_refusals_are_bare_text_without_a_code()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=typescript;fail_codes=120802:1");

        var result = await Call(sandbox, "create_shipment", RoscoejArguments());

        Assert.True(result.IsError);
        Assert.Equal("Address Validation Error on ShipTo address", TextOf(result));
        Assert.Equal(0, LedgerCount(sandbox));
    }

    [Fact]
    public async Task Typescript_refuses_a_missing_package_list_and_a_string_weight_together()
    {
        await using var sandbox = await SandboxClient.StartAsync("server=typescript");
        var arguments = RoscoejArguments();
        arguments["packages"] = new JsonArray(new JsonObject { ["weight"] = "2.5" });
        ((JsonObject)arguments["shipTo"]!).Remove("city");

        var text = TextOf(await Call(sandbox, "create_shipment", arguments));

        Assert.StartsWith("MCP error -32602: Input validation error: Invalid arguments for tool create_shipment: ", text, StringComparison.Ordinal);
        var issues = JsonNode.Parse(text[text.IndexOf('[', StringComparison.Ordinal)..])!.AsArray();
        Assert.Equal(["[\"shipTo\",\"city\"]", "[\"packages\",0,\"weight\"]"], issues.Select(i => i!["path"]!.ToJsonString()).ToArray());
        Assert.Equal(["Required", "Expected number, received string"], issues.Select(i => (string)i!["message"]!).ToArray());
    }
}
