using System.Text.Json.Nodes;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>Writing, listing and removing profiles: private files, no literal secrets, built-ins untouchable.</summary>
public sealed class CarrierRegistryTests : IDisposable
{
    private readonly TempFolder _store = new();
    private readonly TempFolder _module = new();

    public void Dispose()
    {
        _store.Dispose();
        _module.Dispose();
    }

    private static JsonObject Profile(string secretValue) => new()
    {
        ["command"] = "uvx",
        ["env"] = new JsonObject { ["CLIENT_SECRET"] = secretValue },
    };

    [Fact]
    public void Writes_a_private_profile_that_resolves_and_lists()
    {
        var file = CarrierRegistry.Register(_module.Path, _store.Path, "Ups-Test", Profile("secret:UPS/Secret"), force: false);

        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("secret:UPS/Secret", CarrierProfiles.Resolve("ups-test", _module.Path, _store.Path).Environment["CLIENT_SECRET"]);
        var entry = Assert.Single(CarrierRegistry.List(_module.Path, _store.Path), e => !e.BuiltIn);
        Assert.Equal(file, entry.Source);
    }

    [Fact]
    public void Refuses_a_literal_secret_with_E4021_and_writes_nothing()
    {
        var ex = Assert.Throws<BatchShipException>(() => CarrierRegistry.Register(_module.Path, _store.Path, "Ups-Test", Profile("plain-secret"), force: false));
        Assert.Equal(ErrorCatalog.SecretInProfile, ex.Error);
        Assert.DoesNotContain("plain-secret", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(CarrierRegistry.UserFolder(_store.Path)) && Directory.EnumerateFiles(CarrierRegistry.UserFolder(_store.Path)).Any());
    }

    [Fact]
    public void Refuses_a_taken_name_without_force_and_a_built_in_name_always()
    {
        CarrierRegistry.Register(_module.Path, _store.Path, "Ups-Test", Profile("$env:S"), force: false);
        Assert.Equal(ErrorCatalog.Configuration,
            Assert.Throws<BatchShipException>(() => CarrierRegistry.Register(_module.Path, _store.Path, "UPS-TEST", Profile("$env:S"), force: false)).Error);
        CarrierRegistry.Register(_module.Path, _store.Path, "UPS-TEST", Profile("$env:T"), force: true);
        Assert.Equal("$env:T", CarrierProfiles.Resolve("Ups-Test", _module.Path, _store.Path).Environment["CLIENT_SECRET"]);

        Assert.Throws<BatchShipException>(() => CarrierRegistry.Register(_module.Path, _store.Path, "sandbox", Profile("$env:S"), force: true));
        Assert.Throws<BatchShipException>(() => CarrierRegistry.Register(_module.Path, _store.Path, "ups", Profile("$env:S"), force: true));
        Assert.Throws<BatchShipException>(() => CarrierRegistry.Unregister(_module.Path, _store.Path, "Sandbox"));
        Assert.Throws<BatchShipException>(() => CarrierRegistry.Unregister(_module.Path, _store.Path, "UPS"));
        CarrierRegistry.Unregister(_module.Path, _store.Path, "ups-test");
        Assert.DoesNotContain(CarrierRegistry.List(_module.Path, _store.Path), e => !e.BuiltIn);
    }

    [Fact]
    public void A_preset_comes_from_the_module_carriers_folder()
    {
        Directory.CreateDirectory(Path.Combine(_module.Path, "carriers"));
        File.WriteAllText(Path.Combine(_module.Path, "carriers", "UPS.json"), """{ "command": "demo-server", "tools": { "lookup": null } }""");

        Assert.Equal("demo-server", (string)CarrierRegistry.Preset(_module.Path, "ups")["command"]!);
        Assert.Contains(CarrierRegistry.List(_module.Path, _store.Path), e => e.Name == "UPS" && e.BuiltIn && e.Profile!.LookupTool is null);
        Assert.Contains("ShipAgentTS", Assert.Throws<BatchShipException>(() => CarrierRegistry.Preset(_module.Path, "Nope")).Message, StringComparison.Ordinal);
    }
}
