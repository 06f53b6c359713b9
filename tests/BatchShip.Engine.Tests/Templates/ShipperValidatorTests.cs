using BatchShip.Engine.Errors;
using Xunit;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Tests.Templates;

public sealed class ShipperValidatorTests
{
    private static Dictionary<string, string?> Valid() => new()
    {
        ["name"] = " Acme ", ["SHIPPERNUMBER"] = "a1b2c3", ["Address1"] = "1 Main St", ["City"] = "Boston",
        ["State"] = "Massachusetts", ["PostalCode"] = "2134", ["Country"] = "United States", ["Phone"] = "+1 617 555 0100",
    };

    [Fact]
    public void Normalizes_keys_and_values()
    {
        var shipper = ShipperValidator.Validate(Valid());
        Assert.Equal("Acme", shipper["Name"]);
        Assert.Equal("A1B2C3", shipper["shipperNumber"]);
        Assert.Equal("MA", shipper["State"]);
        Assert.Equal("02134", shipper["PostalCode"]);
        Assert.Equal("US", shipper["Country"]);
        Assert.Equal("6175550100", shipper["Phone"]);
        Assert.Equal("", shipper["Address2"]);
    }

    [Theory]
    [InlineData("ShipperNumber", "12345")]
    [InlineData("ShipperNumber", "12-456")]
    [InlineData("City", "")]
    [InlineData("State", "Atlantis")]
    [InlineData("Country", "Narnia")]
    [InlineData("PostalCode", "1")]
    [InlineData("Name", "A name that is far too long for the UPS field")]
    public void Invalid_key_is_E2007_naming_it(string key, string value)
    {
        var shipper = Valid();
        foreach (var k in shipper.Keys.Where(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)).ToArray()) shipper.Remove(k);
        shipper[key] = value;
        var e = Assert.Throws<BatchShipException>(() => ShipperValidator.Validate(shipper));
        Assert.Equal("E-2007", e.Error.Code);
        Assert.Equal(key, e.Field);
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Missing_key_is_E2007_naming_it()
    {
        var shipper = Valid();
        shipper.Remove("Address1");
        var e = Assert.Throws<BatchShipException>(() => ShipperValidator.Validate(shipper));
        Assert.Equal("E-2007", e.Error.Code);
        Assert.Equal("Address1", e.Field);
    }

    [Fact]
    public void Unknown_key_is_E2007_with_the_key_it_resembles()
    {
        var shipper = Valid();
        shipper["Phnoe"] = "617 555 0100";
        var e = Assert.Throws<BatchShipException>(() => ShipperValidator.Validate(shipper));
        Assert.Equal("E-2007", e.Error.Code);
        Assert.Equal("Phnoe", e.Field);
        Assert.Contains("unknown shipper key 'Phnoe': did you mean 'Phone'?", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
