using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

public sealed class CarrierProfileTests : IDisposable
{
    private readonly TempFolder _store = new();
    private readonly TempFolder _module = new();

    public void Dispose()
    {
        _store.Dispose();
        _module.Dispose();
    }

    [Fact]
    public void Reads_every_field_of_a_profile_file()
    {
        var profile = CarrierProfileReader.Read("Ups", """
            { "command": "uvx", "args": ["--from", "ups-mcp", "ups-mcp"],
              "env": { "CLIENT_ID": "$env:UPS_CLIENT_ID", "CLIENT_SECRET": "$env:UPS_CLIENT_SECRET", "ENVIRONMENT": "test" },
              "tools": { "create": "create_shipment", "lookup": "recover_label" }, "timeoutSeconds": 90 }
            """);

        Assert.Equal("Ups", profile.Name);
        Assert.Equal("uvx", profile.Command);
        Assert.Equal(["--from", "ups-mcp", "ups-mcp"], profile.Arguments);
        Assert.Equal("$env:UPS_CLIENT_SECRET", profile.Environment["CLIENT_SECRET"]);
        Assert.Equal("test", profile.Environment["ENVIRONMENT"]);
        Assert.Equal("create_shipment", profile.CreateTool);
        Assert.Equal("recover_label", profile.LookupTool);
        Assert.Equal(TimeSpan.FromSeconds(90), profile.CallTimeout);
    }

    [Fact]
    public void A_minimal_profile_gets_the_defaults_and_a_null_lookup_means_none()
    {
        var minimal = CarrierProfileReader.Read("a", """{"command": "node"}""");
        Assert.Equal("create_shipment", minimal.CreateTool);
        Assert.Equal("recover_label", minimal.LookupTool);
        Assert.Equal(TimeSpan.FromSeconds(60), minimal.CallTimeout);

        var noLookup = CarrierProfileReader.Read("b", """{"command": "node", "tools": {"lookup": null}}""");
        Assert.Null(noLookup.LookupTool);
    }

    [Fact]
    public void The_rate_tool_defaults_to_rate_shipment_and_a_profile_may_name_another_or_none()
    {
        Assert.Equal("rate_shipment", CarrierProfileReader.Read("a", """{"command": "node"}""").RateTool);
        Assert.Equal("quote_it", CarrierProfileReader.Read("b", """{"command": "node", "tools": {"rate": "quote_it"}}""").RateTool);
        Assert.Null(CarrierProfileReader.Read("c", """{"command": "node", "tools": {"rate": null}}""").RateTool);
        var e = Assert.Throws<BatchShipException>(() => CarrierProfileReader.Read("d", """{"command": "node", "tools": {"rate": 5}}"""));
        Assert.Contains("tools.rate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_validate_and_track_tools_default_to_the_sandbox_names_and_null_means_none()
    {
        var minimal = CarrierProfileReader.Read("a", """{"command": "node"}""");
        Assert.Equal("validate_address", minimal.ValidateTool);
        Assert.Equal("track_package", minimal.TrackTool);

        var official = CarrierProfileReader.Read("b", """{"command": "uvx", "tools": {"validate": null, "track": "track_by_number"}}""");
        Assert.Null(official.ValidateTool);
        Assert.Equal("track_by_number", official.TrackTool);
    }

    [Theory]
    [InlineData("CLIENT_SECRET")]
    [InlineData("UPS_PASSWORD")]
    [InlineData("access_token")]
    [InlineData("API_KEY")]
    public void A_literal_secret_in_a_profile_file_is_refused(string key)
    {
        var ex = Assert.Throws<BatchShipException>(() =>
            CarrierProfileReader.Read("ups", $$$"""{"command": "uvx", "env": {"{{{key}}}": "s3cr3t-value"}}"""));

        Assert.Same(ErrorCatalog.Configuration, ex.Error);
        Assert.Contains(key, ex.Message);
        Assert.Contains("$env:", ex.Message);
        Assert.DoesNotContain("s3cr3t-value", ex.Message);
    }

    [Fact]
    public void Non_secret_literals_are_kept()
    {
        var profile = CarrierProfileReader.Read("ups", """{"command": "uvx", "env": {"UPS_ACCOUNT_NUMBER": "999AA1", "ENVIRONMENT": "test"}}""");
        Assert.Equal("999AA1", profile.Environment["UPS_ACCOUNT_NUMBER"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"args": []}""")]
    [InlineData("""{"command": "x", "args": "a b"}""")]
    [InlineData("""{"command": "x", "timeoutSeconds": 0}""")]
    [InlineData("""{"command": "x", "tools": {"lookup": 5}}""")]
    [InlineData("""{"command": "x", "tools": {"validate": ""}}""")]
    [InlineData("""{"command": "x", "tools": {"track": true}}""")]
    public void A_bad_profile_file_is_a_configuration_error(string json)
    {
        var ex = Assert.Throws<BatchShipException>(() => CarrierProfileReader.Read("bad", json));
        Assert.Same(ErrorCatalog.Configuration, ex.Error);
        Assert.Contains("'bad'", ex.Message);
    }

    [Fact]
    public void Environment_references_are_resolved_from_the_process_environment_at_start()
    {
        var env = new Dictionary<string, string> { ["CLIENT_SECRET"] = "$env:UPS_CLIENT_SECRET", ["ENVIRONMENT"] = "test" };

        var resolved = CarrierEnvironment.Resolve("ups", env, name => name == "UPS_CLIENT_SECRET" ? "from-env" : null);

        Assert.Equal("from-env", resolved["CLIENT_SECRET"]);
        Assert.Equal("test", resolved["ENVIRONMENT"]);
    }

    [Fact]
    public void A_reference_to_an_unset_variable_is_a_credential_error_naming_the_variable()
    {
        var env = new Dictionary<string, string> { ["CLIENT_SECRET"] = "$env:UPS_CLIENT_SECRET" };

        var ex = Assert.Throws<BatchShipException>(() => CarrierEnvironment.Resolve("ups", env, _ => null));

        Assert.Same(ErrorCatalog.CredentialNotSet, ex.Error);
        Assert.Equal("UPS_CLIENT_SECRET", ex.Field);
        Assert.Contains("UPS_CLIENT_SECRET", ex.Message);
    }

    [Fact]
    public void Resolving_also_refuses_literal_secrets_in_profiles_built_in_code()
    {
        var env = new Dictionary<string, string> { ["CLIENT_SECRET"] = "literal" };
        Assert.Throws<BatchShipException>(() => CarrierEnvironment.Resolve("ups", env, _ => "x"));
    }

    [Fact]
    public void Resolves_a_user_profile_from_the_store_folder_by_name_case_insensitively()
    {
        _store.File(Path.Combine("carriers", "UpsTest.json"), """{"command": "uvx", "args": ["ups-mcp"], "tools": {"lookup": null}}""");

        var profile = CarrierProfiles.Resolve("upstest", _module.Path, _store.Path);

        Assert.Equal("UpsTest", profile.Name);
        Assert.Equal("uvx", profile.Command);
        Assert.Null(profile.LookupTool);
    }

    [Fact]
    public void Names_lists_the_sandbox_first_then_the_built_in_profiles_then_the_user_profiles()
    {
        _store.File(Path.Combine("carriers", "zeta.json"), "{}");
        _store.File(Path.Combine("carriers", "Alpha.json"), "{}");
        _store.File(Path.Combine("carriers", "notes.txt"), "");

        Assert.Equal(["Sandbox", "UPS", "ShipAgentTS", "Roscoej", "UPSOfficial", "Alpha", "zeta"], CarrierProfiles.Names(_store.Path));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("../secrets")]
    [InlineData("")]
    public void An_unknown_or_invalid_name_is_a_configuration_error(string name)
    {
        var ex = Assert.Throws<BatchShipException>(() => CarrierProfiles.Resolve(name, _module.Path, _store.Path));
        Assert.Same(ErrorCatalog.Configuration, ex.Error);
    }

    [Fact]
    public void The_sandbox_starts_its_assembly_under_the_module_root_with_the_dotnet_host()
    {
        var dll = _module.File(CarrierProfiles.SandboxRelativePath, "");

        var profile = CarrierProfiles.Resolve("sandbox", _module.Path, _store.Path);

        Assert.Equal("Sandbox", profile.Name);
        Assert.Equal(DotnetHost.Locate(), profile.Command);
        Assert.Equal([Path.GetFullPath(dll)], profile.Arguments);
        Assert.Equal("create_shipment", profile.CreateTool);
        Assert.Equal("recover_label", profile.LookupTool);
    }

    [Fact]
    public void A_module_without_the_sandbox_is_a_configuration_error()
    {
        var ex = Assert.Throws<BatchShipException>(() => CarrierProfiles.Resolve("Sandbox", _module.Path, _store.Path));
        Assert.Same(ErrorCatalog.Configuration, ex.Error);
        Assert.Contains("BatchShip.SandboxCarrier.dll", ex.Message);
    }
}
