using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>The profile fields that describe a server: its tools, answer and error formats, concurrency, timeouts,
/// and the built-in profiles of the public UPS servers.</summary>
public sealed class CarrierProfileFieldsTests : IDisposable
{
    private readonly TempFolder _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Reads_every_tool_the_formats_the_concurrency_and_both_timeouts()
    {
        var profile = CarrierProfileReader.Read("Agent", """
            { "command": "node", "args": ["dist/index.js"],
              "tools": { "create": "shipping_create", "lookup": null, "void": "shipping_void", "rate": null,
                         "validate": "check_address", "track": "track" },
              "response": "shipagent", "errors": "ShipAgent", "maxConcurrentCalls": 2,
              "timeoutSeconds": 120, "startTimeoutSeconds": 30.5 }
            """);

        Assert.Equal("shipping_create", profile.CreateTool);
        Assert.Null(profile.LookupTool);
        Assert.Equal("shipping_void", profile.VoidTool);
        Assert.Null(profile.RateTool);
        Assert.Equal("check_address", profile.ValidateTool);
        Assert.Equal("track", profile.TrackTool);
        Assert.Equal(CarrierResponseFormat.ShipAgent, profile.Response);
        Assert.Equal(CarrierErrorFormat.ShipAgent, profile.Errors);
        Assert.Equal(2, profile.MaxConcurrentCalls);
        Assert.Equal(TimeSpan.FromSeconds(120), profile.CallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30.5), profile.StartTimeout);
    }

    [Fact]
    public void A_minimal_profile_names_the_matt_hans_tools_and_formats_and_no_concurrency_limit()
    {
        var profile = CarrierProfileReader.Read("a", """{"command": "node"}""");
        Assert.Equal("void_shipment", profile.VoidTool);
        Assert.Equal("rate_shipment", profile.RateTool);
        Assert.Equal("validate_address", profile.ValidateTool);
        Assert.Equal("track_package", profile.TrackTool);
        Assert.Equal(CarrierResponseFormat.Ups, profile.Response);
        Assert.Equal(CarrierErrorFormat.MattHans, profile.Errors);
        Assert.Null(profile.MaxConcurrentCalls);
    }

    [Theory]
    [InlineData("""{"command": "x", "response": "fedex"}""", "response")]
    [InlineData("""{"command": "x", "errors": "python"}""", "errors")]
    [InlineData("""{"command": "x", "maxConcurrentCalls": 0}""", "maxConcurrentCalls")]
    [InlineData("""{"command": "x", "maxConcurrentCalls": 1.5}""", "maxConcurrentCalls")]
    [InlineData("""{"command": "x", "startTimeoutSeconds": -1}""", "startTimeoutSeconds")]
    [InlineData("""{"command": "x", "tools": {"ship": "create_shipment"}}""", "tools.ship")]
    [InlineData("""{"command": "x", "tools": {"void": ""}}""", "tools.void")]
    [InlineData("""{"command": "x", "tools": {"track": 3}}""", "tools.track")]
    [InlineData("""{"url": "https://example.test/mcp"}""", "url")]
    public void A_bad_field_is_E4007_naming_it(string json, string field)
    {
        var e = Assert.Throws<BatchShipException>(() => CarrierProfileReader.Read("bad", json));
        Assert.Same(ErrorCatalog.Configuration, e.Error);
        Assert.Contains(field, e.Message);
        Assert.Contains("'bad'", e.Message);
    }

    [Fact]
    public void A_profile_without_a_create_tool_is_read_but_refused_for_shipping_with_E4015()
    {
        var profile = CarrierProfileReader.Read("Validator", """{"command": "x", "tools": {"create": null}}""");
        Assert.Null(profile.CreateTool);
        var e = Assert.Throws<BatchShipException>(profile.RequireCreateTool);
        Assert.Same(ErrorCatalog.CarrierCannotShip, e.Error);
        Assert.Contains("'Validator'", e.Message);
    }

    [Fact]
    public void The_built_in_profiles_describe_the_public_servers()
    {
        var module = ModuleRoot();

        var ups = CarrierProfiles.Resolve("ups", module, _store.Path);
        Assert.Equal("UPS", ups.Name);
        Assert.Equal("uvx", ups.Command);
        Assert.Contains("mcp<2", ups.Arguments);
        Assert.Equal("$env:UPS_CLIENT_SECRET", ups.Environment["CLIENT_SECRET"]);
        Assert.Equal("recover_label", ups.LookupTool);
        Assert.Equal(1, ups.MaxConcurrentCalls);

        var agent = CarrierProfiles.Resolve("ShipAgentTS", module, _store.Path);
        Assert.Equal("shipping_create", agent.CreateTool);
        Assert.Null(agent.LookupTool);
        Assert.Equal(CarrierResponseFormat.ShipAgent, agent.Response);
        Assert.Equal(CarrierErrorFormat.ShipAgent, agent.Errors);

        var roscoej = CarrierProfiles.Resolve("Roscoej", module, _store.Path);
        Assert.Equal("create_shipment", roscoej.CreateTool);
        Assert.Null(roscoej.LookupTool);
        Assert.Equal(CarrierErrorFormat.TypeScript, roscoej.Errors);

        var official = CarrierProfiles.Resolve("UPSOfficial", module, _store.Path);
        Assert.Null(official.CreateTool);
        Assert.Equal("validate_address", official.ValidateTool);
        Assert.Equal("track_package", official.TrackTool);

        Assert.Equal(["Sandbox", "UPS", "ShipAgentTS", "Roscoej", "UPSOfficial"], CarrierProfiles.Names(_store.Path));
    }

    [Fact]
    public void A_user_profile_of_a_built_in_name_is_used_instead_of_it()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_store.Path, "carriers")).FullName;
        var file = Path.Combine(folder, "UPS.json");
        File.WriteAllText(file, """{"command": "python", "args": ["-m", "ups_mcp"]}""");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var ups = CarrierProfiles.Resolve("UPS", ModuleRoot(), _store.Path);
        Assert.Equal("python", ups.Command);
        Assert.Single(CarrierProfiles.Names(_store.Path), n => n.Equals("UPS", StringComparison.OrdinalIgnoreCase));
    }

    // The repository's module folder (module/carriers holds the built-in profiles).
    private static string ModuleRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BatchShip.Cmdlets.sln"))) return Path.Combine(dir.FullName, "module");
        throw new InvalidOperationException("The repository root was not found above the test output.");
    }
}
