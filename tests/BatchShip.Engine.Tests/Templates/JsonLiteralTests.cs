using System.Text.Json;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Templates;
using Xunit;

namespace BatchShip.Engine.Tests.Templates;

/// <summary>num and boolean: the only values a template may write outside quotes, and only as a JSON number or boolean.</summary>
public sealed class JsonLiteralTests
{
    [Fact]
    public void Num_writes_a_cell_as_an_unquoted_json_number()
    {
        var json = TemplateKit.Render("""{"weight": {{ num (weight row.WeightLb) }}, "count": {{ num row.Count }}}""",
            ("WeightLb", "2.5"), ("Count", " 3 "));

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("weight").ValueKind);
        Assert.Equal(2.5m, doc.RootElement.GetProperty("weight").GetDecimal());
        Assert.Equal(3, doc.RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public void Boolean_writes_true_or_false_unquoted()
    {
        var json = TemplateKit.Render("""{"residential": {{ boolean (yesno row.Residential) }}, "b": {{ boolean "false" }}}""", ("Residential", "yes"));
        Assert.Equal("""{"residential":true,"b":false}""", json);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("2,5")]
    [InlineData("1e999")]
    [InlineData("+1")]
    [InlineData("NaN")]
    [InlineData("0x10")]
    [InlineData("")]
    public void Num_refuses_what_is_not_a_json_number_with_E2016_naming_the_column(string cell)
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"w": {{ num row.Weight }}}""", ("Weight", cell)));
        Assert.Same(ErrorCatalog.NotANumber, e.Error);
        Assert.Equal(7, e.RowNumber);
        if (cell.Length > 0) Assert.Equal("Weight", e.Field);
    }

    [Theory]
    [InlineData("1}, \"injected\": {\"x\": 1")]
    [InlineData("1, \"injected\": true")]
    [InlineData("1 ] }")]
    public void A_cell_cannot_use_num_to_add_structure(string cell)
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"w": {{ num row.Weight }}}""", ("Weight", cell)));
        Assert.Same(ErrorCatalog.NotANumber, e.Error);
    }

    [Fact]
    public void Text_built_from_a_number_is_plain_text_again_and_refused_outside_quotes()
    {
        // Concatenation turns the checked number back into a string: that string must not be written raw.
        var e = Assert.Throws<BatchShipException>(() =>
            TemplateKit.Render("""{"w": {{ (num row.Weight) + "}, \"x\": 1" }}}""", ("Weight", "1")));
        Assert.Same(ErrorCatalog.Template, e.Error);
    }

    [Fact]
    public void Inside_quotes_a_number_is_ordinary_string_content()
    {
        Assert.Equal("""{"w":"2.5"}""", TemplateKit.Render("""{"w": "{{ num row.Weight }}"}""", ("Weight", "2.5")));
    }

    [Fact]
    public void Boolean_refuses_anything_but_a_boolean()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"r": {{ boolean row.R }}}""", ("R", "maybe")));
        Assert.Same(ErrorCatalog.NotANumber, e.Error);
    }
}
