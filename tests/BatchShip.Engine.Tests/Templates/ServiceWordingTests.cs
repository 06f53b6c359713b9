using BatchShip.Engine.Errors;
using BatchShip.Engine.Templates;
using Xunit;

namespace BatchShip.Engine.Tests.Templates;

/// <summary>Shop wording of services, and services refused before buying when they do not serve the destination.</summary>
public sealed class ServiceWordingTests
{
    [Theory]
    [InlineData("Overnight", "US", "01")]
    [InlineData("Next Day", "US", "01")]
    [InlineData("2-Day", "US", "02")]
    [InlineData("2 Day", "US", "02")]
    [InlineData("Standard", "US", "03")]
    [InlineData("Standard Shipping", "US", "03")]
    [InlineData("Saver", "US", "13")]
    [InlineData("Standard", "Canada", "11")]
    [InlineData("Saver", "CA", "65")]
    [InlineData("Express", "CA", "07")]
    [InlineData("Expedited", "GB", "08")]
    [InlineData("Ground", "PR", "03")]
    public void Shop_wording_maps_to_the_service_of_the_lane(string wording, string destination, string code) =>
        Assert.Equal(code, ServiceCodes.Normalize(wording, destination, "US"));

    [Fact]
    public void Ground_to_Canada_is_E2013_naming_the_services_that_serve_Canada()
    {
        var e = Assert.Throws<BatchShipException>(() => ServiceCodes.Normalize("Ground", "CA", "US"));
        Assert.Equal("E-2013", e.Error.Code);
        Assert.Contains("UPS Standard (11), Worldwide Express (07), Worldwide Expedited (08), Worldwide Saver (65)", e.Message);
    }

    [Fact]
    public void Ground_abroad_names_the_international_services()
    {
        var e = Assert.Throws<BatchShipException>(() => ServiceCodes.Normalize("03", "DE", "US"));
        Assert.Contains("Worldwide Express (07), Worldwide Expedited (08), Worldwide Saver (65), Worldwide Express Plus (54)", e.Message);
    }

    [Fact]
    public void An_international_service_within_the_US_names_the_domestic_services()
    {
        var e = Assert.Throws<BatchShipException>(() => ServiceCodes.Normalize("Express", "US", "US"));
        Assert.Equal("E-2013", e.Error.Code);
        Assert.Contains("Ground (03)", e.Message);
    }

    [Fact]
    public void The_built_in_template_refuses_a_Canadian_row_on_the_default_Ground()
    {
        var ground = TemplateLibrary.Load("ups-ground", TemplateKit.BuiltInDirectory);
        var e = Assert.Throws<BatchShipException>(() => ground.Render(TemplateKit.Input(4, ("RecipientName", "Jean"), ("Address1", "1 Rue"),
            ("City", "Toronto"), ("State", "ON"), ("PostalCode", "M5V 2T6"), ("Country", "Canada"), ("WeightLb", "1"))));
        Assert.Equal("E-2013", e.Error.Code);
        Assert.Equal(4, e.RowNumber);
    }
}
