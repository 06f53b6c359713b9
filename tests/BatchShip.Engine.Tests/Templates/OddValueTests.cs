using BatchShip.Engine.Errors;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Tests.Templates;

/// <summary>Numbers at the edge of what .NET can hold are a bad cell, named by row and column, never a template error.</summary>
public sealed class OddValueTests
{
    private static readonly ShipmentTemplate Ground = TemplateLibrary.Load("ups-ground", TemplateKit.BuiltInDirectory);

    private static BatchShipException Refused(string column, string value)
    {
        (string, string)[] row =
        [
            ("RecipientName", "Jane Doe"), ("Address1", "12 Elm Street"), ("City", "Boston"), ("State", "MA"), ("PostalCode", "02134"),
            ("WeightLb", "2.5"), ("LengthIn", "10"), ("WidthIn", "8"), ("HeightIn", "4"),
        ];
        row = [.. row.Where(c => c.Item1 != column), (column, value)];
        return Assert.Throws<BatchShipException>(() => Ground.Render(TemplateKit.Input(9, row)));
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("79228162514264337593543950335 kg")]
    [InlineData("7922816251426433759354395034")]
    [InlineData("99999999999999999999999999999999999999")]
    public void A_weight_too_large_for_a_number_is_an_invalid_weight_naming_row_and_column(string weight)
    {
        var error = Refused("WeightLb", weight);

        Assert.Equal("E-2004", error.Error.Code);
        Assert.Equal(9, error.RowNumber);
        Assert.Equal("WeightLb", error.Field);
        Assert.Contains("column 'WeightLb'", error.Message);
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("79228162514264337593543950335 cm")]
    public void A_dimension_too_large_for_a_number_is_an_invalid_package_naming_row_and_column(string length)
    {
        var error = Refused("LengthIn", length);

        Assert.Equal("E-2009", error.Error.Code);
        Assert.Equal(9, error.RowNumber);
        Assert.Equal("LengthIn", error.Field);
    }
}
