using System.Text.Json;
using BatchShip.Engine.Templates;
using Xunit;

namespace BatchShip.Engine.Tests.Templates;

/// <summary>The built-in templates for ShipAgent's shipping_create and roscoej's create_shipment.</summary>
public sealed class FriendlyTemplatesTests
{
    private static JsonElement Render(string template, params (string, string)[] columns)
    {
        var json = TemplateLibrary.Load(template, TemplateKit.BuiltInDirectory).Render(TemplateKit.Input(7, columns));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static readonly (string, string)[] Row =
    [
        ("RecipientName", "Ann Lee"), ("Address1", "5 Oak Road"), ("City", "Albany"), ("State", "NY"),
        ("PostalCode", "12207"), ("WeightLb", "2.5"), ("LengthIn", "10"), ("WidthIn", "8"), ("HeightIn", "4"), ("PackageCount", "2"),
    ];

    [Fact]
    public void Shipagent_ground_writes_numbers_for_weight_and_dimensions_and_names_the_fields_of_shipping_create()
    {
        var args = Render("shipagent-ground", Row);
        var package = args.GetProperty("packages")[0];
        Assert.Equal(2, args.GetProperty("packages").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, package.GetProperty("weight").ValueKind);
        Assert.Equal(2.5m, package.GetProperty("weight").GetDecimal());
        Assert.Equal(10m, package.GetProperty("length").GetDecimal());
        Assert.Equal("03", args.GetProperty("serviceCode").GetString());
        Assert.Equal("Ann Lee", args.GetProperty("shipTo").GetProperty("name").GetString());
        Assert.Equal("5 Oak Road", args.GetProperty("shipTo").GetProperty("addressLine1").GetString());
        Assert.Equal(TemplateKit.Reference, args.GetProperty("reference").GetString());
    }

    [Fact]
    public void Roscoej_ground_writes_numbers_and_never_sends_a_reference_number()
    {
        var args = Render("roscoej-ground", Row);
        Assert.Equal("03", args.GetProperty("service").GetString());
        Assert.Equal(JsonValueKind.Number, args.GetProperty("packages")[0].GetProperty("weight").ValueKind);
        Assert.Equal("NY", args.GetProperty("shipFrom").GetProperty("stateProvinceCode").GetString());
        // roscoej puts it at shipment level, which UPS refuses within the US (120541).
        Assert.False(args.TryGetProperty("referenceNumber", out _));
        Assert.DoesNotContain(TemplateKit.Reference, args.GetRawText());
    }
}
