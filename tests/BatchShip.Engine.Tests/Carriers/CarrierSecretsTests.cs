using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>secret:&lt;vault&gt;/&lt;name&gt; references: parsed, fetched once, masked, and never a literal secret.</summary>
public sealed class CarrierSecretsTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["CLIENT_SECRET"] = "secret:UPS/ClientSecret", ["CLIENT_ID"] = "$env:BS_ID", ["ENVIRONMENT"] = "test",
    };

    [Fact]
    public void Resolves_a_vault_reference_once_and_masks_its_value()
    {
        var fetched = new List<SecretReference>();
        var secrets = new CarrierSecrets(r => { fetched.Add(r); return "s3cr3t-value"; });

        secrets.Load("Ups", Environment);
        var resolved = CarrierEnvironment.Resolve("Ups", Environment, v => v == "BS_ID" ? "the-id" : null, secrets);

        Assert.Equal([new SecretReference("UPS", "ClientSecret")], fetched);
        Assert.Equal("s3cr3t-value", resolved["CLIENT_SECRET"]);
        Assert.Equal("test", resolved["ENVIRONMENT"]);
        var text = new CarrierText(CarrierEnvironment.ReferencedValues(Environment, resolved));
        Assert.Equal("auth *** for ***", text.Clean("auth s3cr3t-value for the-id"));
    }

    [Fact]
    public void A_vault_reference_without_vault_access_is_E5004()
    {
        var ex = Assert.Throws<BatchShipException>(() =>
            CarrierEnvironment.Resolve("Ups", Environment, _ => "x"));
        Assert.Equal(ErrorCatalog.SecretManagementMissing, ex.Error);
        Assert.Equal("CLIENT_SECRET", ex.Field);
    }

    [Theory]
    [InlineData("secret:UPS/ClientSecret", "UPS", "ClientSecret")]
    [InlineData(" SECRET:My Vault/a/b ", "My Vault", "a/b")]
    [InlineData("secret:UPS", null, null)]
    [InlineData("secret:/x", null, null)]
    [InlineData("$env:X", null, null)]
    public void Parses_secret_references(string value, string? vault, string? name)
    {
        var reference = SecretReference.Parse(value);
        Assert.Equal(vault, reference?.Vault);
        Assert.Equal(name, reference?.Name);
    }

    [Fact]
    public void A_secret_reference_is_no_literal_secret()
    {
        Assert.Null(CarrierEnvironment.LiteralSecretKey(Environment));
        Assert.Equal("API_TOKEN", CarrierEnvironment.LiteralSecretKey(new Dictionary<string, string> { ["API_TOKEN"] = "abc", ["CLIENT_ID"] = "id" }));
    }
}
