using System.Text.Json;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Templates;
using Xunit;

namespace BatchShip.Engine.Tests.Templates;

/// <summary>Column aliases, -ColumnMap, the job-level column check and the closest-match helper behind its advice.</summary>
public sealed class ColumnNameTests
{
    private static readonly ShipmentTemplate Ground = TemplateLibrary.Load("ups-ground", TemplateKit.BuiltInDirectory);

    private static JsonElement ShipTo(IReadOnlyDictionary<string, string>? map, params (string Name, string Value)[] row)
    {
        var input = TemplateKit.Input(2, row) with { ColumnMap = map };
        using var doc = JsonDocument.Parse(Ground.Render(input));
        return doc.RootElement.GetProperty("request_body").GetProperty("ShipmentRequest").GetProperty("Shipment").Clone();
    }

    [Fact]
    public void Aliases_of_the_built_in_template_are_read_as_its_columns()
    {
        var shipment = ShipTo(null, ("Recipient Name", "Jane"), ("Address Line 1", "1 Elm St"), ("City", "Boston"),
            ("Province", "massachusetts"), ("Postal Code", "2134"), ("Weight", "3"));
        var address = shipment.GetProperty("ShipTo").GetProperty("Address");
        Assert.Equal("Jane", shipment.GetProperty("ShipTo").GetProperty("AttentionName").GetString());
        Assert.Equal("1 Elm St", address.GetProperty("AddressLine")[0].GetString());
        Assert.Equal("MA", address.GetProperty("StateProvinceCode").GetString());
        Assert.Equal("02134", address.GetProperty("PostalCode").GetString());
        Assert.Equal("3.0", shipment.GetProperty("Package")[0].GetProperty("PackageWeight").GetProperty("Weight").GetString());
    }

    [Fact]
    public void The_column_of_its_own_name_wins_over_an_alias()
    {
        var shipment = ShipTo(null, ("RecipientName", "Jane"), ("Address1", "1 Elm St"), ("City", "Boston"), ("State", "MA"),
            ("Zip", "99999"), ("PostalCode", "02134"), ("WeightLb", "1"));
        Assert.Equal("02134", shipment.GetProperty("ShipTo").GetProperty("Address").GetProperty("PostalCode").GetString());
    }

    [Fact]
    public void Column_map_reads_the_mapped_column_and_names_it_in_errors()
    {
        var map = new Dictionary<string, string> { ["RecipientName"] = "Name", ["WeightLb"] = "Poids" };
        var shipment = ShipTo(map, ("Name", "Jane"), ("Address1", "1 Elm St"), ("City", "Boston"), ("State", "MA"), ("Zip", "02134"), ("Poids", "2"));
        Assert.Equal("Jane", shipment.GetProperty("ShipTo").GetProperty("AttentionName").GetString());
        Assert.Equal("2.0", shipment.GetProperty("Package")[0].GetProperty("PackageWeight").GetProperty("Weight").GetString());

        var e = Assert.Throws<BatchShipException>(() => ShipTo(map, ("Name", "Jane"), ("Address1", "1 Elm St"), ("City", "Boston"),
            ("State", "MA"), ("Zip", "02134"), ("Poids", "heavy")));
        Assert.Equal("Poids", e.Field);
        Assert.Contains("column 'Poids'", e.Message);
    }

    [Fact]
    public void Missing_required_columns_are_one_error_listing_them_the_columns_found_and_the_closest_match()
    {
        var e = Assert.Throws<BatchShipException>(() =>
            ColumnCheck.Require(Ground, ["Name", "Street", "City", "Zip Cod", "Province", "Wieght (lb)"], null));
        Assert.Equal("E-1007", e.Error.Code);
        Assert.Null(e.RowNumber);
        Assert.Contains("lacks 3 required column(s)", e.Message);
        Assert.Contains("RecipientName or Company: did you mean 'Name'? use -ColumnMap @{ RecipientName = 'Name' }", e.Message);
        Assert.Contains("PostalCode: did you mean 'Zip Cod'? use -ColumnMap @{ PostalCode = 'Zip Cod' }", e.Message);
        Assert.Contains("WeightLb: did you mean 'Wieght (lb)'?", e.Message);
        Assert.Contains("Columns found: 'Name', 'Street', 'City', 'Zip Cod', 'Province', 'Wieght (lb)'", e.Message);
        Assert.DoesNotContain("Resume", e.Message + e.Error.Remedy);
    }

    [Fact]
    public void Aliases_and_the_map_satisfy_the_check()
    {
        ColumnCheck.Require(Ground, ["Recipient", "Street", "City", "Zip", "Province", "Weight (lb)"], null);
        ColumnCheck.Require(Ground, ["Name", "Street", "City", "Zip", "Province", "Kilos"],
            new Dictionary<string, string> { ["RecipientName"] = "Name", ["WeightLb"] = "Kilos", ["Reference"] = "Street" });
    }

    [Fact]
    public void A_header_read_as_one_column_holding_semicolons_gets_the_delimiter_hint()
    {
        var e = Assert.Throws<BatchShipException>(() => ColumnCheck.Require(Ground, ["Name;Street;City;Zip;Weight"], null));
        Assert.Contains("looks semicolon-separated: use -Delimiter ';'", e.Message);
        e = Assert.Throws<BatchShipException>(() => ColumnCheck.Require(Ground, ["Name\tStreet\tCity"], null));
        Assert.Contains("tab-separated", e.Message);
    }

    [Theory]
    [InlineData("PostCode", "Zip", "does not read: did you mean 'PostalCode'?")]
    [InlineData("PostalCode", "Zipp", "which the input does not have: did you mean 'Zip'?")]
    public void A_map_naming_an_unknown_column_is_E1008_with_the_closest_name(string column, string input, string expected)
    {
        var e = Assert.Throws<BatchShipException>(() => ColumnCheck.Require(Ground, ["RecipientName", "Address1", "City", "Zip", "WeightLb"],
            new Dictionary<string, string> { [column] = input }));
        Assert.Equal("E-1008", e.Error.Code);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Aliases_must_be_literal_and_belong_to_one_column()
    {
        var e = Assert.Throws<BatchShipException>(() => ShipmentTemplate.Parse("t", """{{ x = "Zip" }}{{ alias "PostalCode" [x] }}{"a": ""}"""));
        Assert.Equal("E-4003", e.Error.Code);
        e = Assert.Throws<BatchShipException>(() => ShipmentTemplate.Parse("t", """{{ alias "PostalCode" ["Zip"] }}{{ alias "City" ["Zip"] }}{"a": ""}"""));
        Assert.Contains("'Zip'", e.Message);
    }

    [Fact]
    public void Required_groups_and_aliases_are_found_without_rendering()
    {
        var template = ShipmentTemplate.Parse("t", """{{ alias "City" ["Town"] }}{"a": "{{ required "Name" "Company" }}{{ col "City" }}"}""");
        Assert.Equal(["Name", "Company"], Assert.Single(template.Columns.Required));
        Assert.Equal(["Town"], template.Columns.AliasesOf("city"));
        Assert.Equal("""{"a":"AcmeParis"}""", template.Render(TemplateKit.Input(1, ("Company", "Acme"), ("Town", "Paris"))));
    }

    [Theory]
    [InlineData("Phnoe", "Phone")]
    [InlineData("adress1", "Address1")]
    [InlineData("Weight (lb)", "WeightLb")]
    [InlineData("Zip Code", "ZipCode")]
    public void Closest_match_finds_typos_swaps_and_other_spellings(string wanted, string expected) =>
        Assert.Equal(expected, ClosestMatch.Find(wanted, ["Name", "Phone", "Address1", "Address2", "WeightLb", "ZipCode"]));

    [Fact]
    public void Closest_match_suggests_nothing_far_away() =>
        Assert.Null(ClosestMatch.Find("Colour", ["Name", "Phone", "City"]));
}
