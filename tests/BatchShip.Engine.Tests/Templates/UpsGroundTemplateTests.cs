using System.Text.Json;
using BatchShip.Engine.Errors;
using Xunit;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Tests.Templates;

public sealed class UpsGroundTemplateTests
{
    private static readonly ShipmentTemplate Ground = TemplateLibrary.Load("ups-ground", TemplateKit.BuiltInDirectory);

    private static readonly (string, string)[] NormalRow =
    [
        ("RecipientName", "Jane Doe"), ("Company", "Doe Industries"), ("Address1", "12 Elm Street"), ("Address2", "Apt 4"),
        ("City", "Boston"), ("State", "massachusetts"), ("PostalCode", "2134"), ("Country", "USA"), ("Phone", "+1 617 555 0199"),
        ("Email", "jane@example.com"), ("Residential", "yes"), ("WeightLb", "2.5"), ("LengthIn", "10"), ("WidthIn", "8"),
        ("HeightIn", "4"), ("PackageCount", ""), ("Service", ""), ("Reference", "SO-1001"), ("Description", "Books"),
        ("Unrelated", "kept by the batch"),
    ];

    private static JsonElement Shipment(params (string, string)[] row)
    {
        var json = Ground.Render(TemplateKit.Input(3, row));
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("request_body").GetProperty("ShipmentRequest").Clone();
    }

    [Fact]
    public void Normal_row_renders_a_ship_request()
    {
        var request = Shipment(NormalRow);
        Assert.Equal(TemplateKit.Reference, request.GetProperty("Request").GetProperty("TransactionReference").GetProperty("CustomerContext").GetString());
        var shipment = request.GetProperty("Shipment");
        var shipTo = shipment.GetProperty("ShipTo");
        Assert.Equal("Doe Industries", shipTo.GetProperty("Name").GetString());
        Assert.Equal("Jane Doe", shipTo.GetProperty("AttentionName").GetString());
        Assert.Equal("6175550199", shipTo.GetProperty("Phone").GetProperty("Number").GetString());
        var address = shipTo.GetProperty("Address");
        Assert.Equal(["12 Elm Street", "Apt 4"], address.GetProperty("AddressLine").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("MA", address.GetProperty("StateProvinceCode").GetString());
        Assert.Equal("02134", address.GetProperty("PostalCode").GetString());
        Assert.Equal("US", address.GetProperty("CountryCode").GetString());
        Assert.True(address.TryGetProperty("ResidentialAddressIndicator", out _));
        Assert.Equal("03", shipment.GetProperty("Service").GetProperty("Code").GetString());
        Assert.Equal("A1B2C3", shipment.GetProperty("Shipper").GetProperty("ShipperNumber").GetString());
        Assert.Equal("A1B2C3", shipment.GetProperty("PaymentInformation").GetProperty("ShipmentCharge")[0]
            .GetProperty("BillShipper").GetProperty("AccountNumber").GetString());
        Assert.False(shipment.TryGetProperty("ReferenceNumber", out _));
        var package = Assert.Single(shipment.GetProperty("Package").EnumerateArray());
        Assert.Equal("2.5", package.GetProperty("PackageWeight").GetProperty("Weight").GetString());
        Assert.Equal("LBS", package.GetProperty("PackageWeight").GetProperty("UnitOfMeasurement").GetProperty("Code").GetString());
        Assert.Equal("10.0", package.GetProperty("Dimensions").GetProperty("Length").GetString());
        Assert.Equal("02", package.GetProperty("Packaging").GetProperty("Code").GetString());
        Assert.Equal(TemplateKit.Reference, package.GetProperty("ReferenceNumber")[0].GetProperty("Value").GetString());
        var label = request.GetProperty("LabelSpecification");
        Assert.Equal("GIF", label.GetProperty("LabelImageFormat").GetProperty("Code").GetString());
        Assert.Equal("6", label.GetProperty("LabelStockSize").GetProperty("Height").GetString());
        Assert.Equal("4", label.GetProperty("LabelStockSize").GetProperty("Width").GetString());
    }

    [Fact]
    public void Three_package_row_has_three_packages_each_with_the_reference()
    {
        var row = NormalRow.Where(c => c.Item1 != "PackageCount").Append(("PackageCount", "3")).ToArray();
        var packages = Shipment(row).GetProperty("Shipment").GetProperty("Package").EnumerateArray().ToArray();
        Assert.Equal(3, packages.Length);
        Assert.All(packages, p => Assert.Equal(TemplateKit.Reference, p.GetProperty("ReferenceNumber")[0].GetProperty("Value").GetString()));
    }

    [Fact]
    public void Only_the_required_columns_are_needed()
    {
        var shipment = Shipment(("RecipientName", "Jane Doe"), ("Address1", "12 Elm Street"), ("City", "Boston"),
            ("PostalCode", "02134"), ("WeightLb", "1")).GetProperty("Shipment");
        var shipTo = shipment.GetProperty("ShipTo");
        Assert.Equal("Jane Doe", shipTo.GetProperty("Name").GetString());
        Assert.False(shipTo.TryGetProperty("Phone", out _));
        Assert.Equal("US", shipTo.GetProperty("Address").GetProperty("CountryCode").GetString());
        Assert.False(shipTo.GetProperty("Address").TryGetProperty("ResidentialAddressIndicator", out _));
        var package = Assert.Single(shipment.GetProperty("Package").EnumerateArray());
        Assert.False(package.TryGetProperty("Dimensions", out _));
        Assert.Equal("03", shipment.GetProperty("Service").GetProperty("Code").GetString());
    }

    [Fact]
    public void Dimensions_need_all_three()
    {
        var row = NormalRow.Where(c => c.Item1 != "HeightIn").ToArray();
        var package = Shipment(row).GetProperty("Shipment").GetProperty("Package")[0];
        Assert.False(package.TryGetProperty("Dimensions", out _));
    }

    [Theory]
    [InlineData("Next Day Air", "01")]
    [InlineData("2nd day air", "02")]
    [InlineData("12", "12")]
    public void Service_alias_is_applied(string service, string code)
    {
        var row = NormalRow.Where(c => c.Item1 != "Service").Append(("Service", service)).ToArray();
        Assert.Equal(code, Shipment(row).GetProperty("Shipment").GetProperty("Service").GetProperty("Code").GetString());
    }

    [Fact]
    public void Long_address_flows_onto_the_next_line()
    {
        var row = NormalRow.Where(c => c.Item1 is not "Address1").Append(("Address1", "1234 Extraordinarily Long Boulevard Northeast")).ToArray();
        var lines = Shipment(row).GetProperty("Shipment").GetProperty("ShipTo").GetProperty("Address").GetProperty("AddressLine")
            .EnumerateArray().Select(l => l.GetString()!).ToArray();
        Assert.Equal(["1234 Extraordinarily Long Boulevard", "Northeast Apt 4"], lines);
    }

    [Theory]
    [InlineData("Address1")]
    [InlineData("City")]
    [InlineData("PostalCode")]
    [InlineData("WeightLb")]
    public void Missing_required_column_is_E1001_naming_it(string column)
    {
        var row = NormalRow.Where(c => c.Item1 != column).ToArray();
        var e = Assert.Throws<BatchShipException>(() => Ground.Render(TemplateKit.Input(3, row)));
        Assert.Equal("E-1001", e.Error.Code);
        Assert.Equal(column, e.Field);
        Assert.Equal(3, e.RowNumber);
    }

    [Fact]
    public void A_zip_code_of_another_state_is_E2001_naming_the_postal_code_column_before_anything_is_sent()
    {
        var row = NormalRow.Select(c => c.Item1 == "PostalCode" ? ("PostalCode", "10012") : c).ToArray();
        var e = Assert.Throws<BatchShipException>(() => Ground.Render(TemplateKit.Input(3, row)));
        Assert.Equal("E-2001", e.Error.Code);
        Assert.Equal("PostalCode", e.Field);
        Assert.Equal(3, e.RowNumber);
        Assert.Contains("does not belong to state MA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipient_or_company_is_required()
    {
        var row = NormalRow.Where(c => c.Item1 is not "RecipientName" and not "Company").ToArray();
        var e = Assert.Throws<BatchShipException>(() => Ground.Render(TemplateKit.Input(3, row)));
        Assert.Equal("E-1001", e.Error.Code);
        Assert.Contains("Company", e.Message);
    }

    [Fact]
    public void Bad_weight_names_the_column()
    {
        var row = NormalRow.Where(c => c.Item1 != "WeightLb").Append(("WeightLb", "2,5")).ToArray();
        var e = Assert.Throws<BatchShipException>(() => Ground.Render(TemplateKit.Input(3, row)));
        Assert.Equal("E-2004", e.Error.Code);
        Assert.Equal("WeightLb", e.Field);
    }

    [Fact]
    public void Referenced_columns_list_the_documented_inputs()
    {
        Assert.Subset(Ground.ReferencedColumns.ToHashSet(StringComparer.OrdinalIgnoreCase),
            new HashSet<string>(["RecipientName", "Company", "Address1", "Address2", "Address3", "City", "State", "PostalCode", "Country",
                "Phone", "Email", "Residential", "WeightLb", "LengthIn", "WidthIn", "HeightIn", "PackageCount", "Service", "Description"],
                StringComparer.OrdinalIgnoreCase));
    }
}
