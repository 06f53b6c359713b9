using System.Text.Json;
using BatchShip.Engine.Errors;
using Xunit;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Tests.Templates;

public sealed class ShipmentTemplateTests
{
    [Fact]
    public void Renders_compact_json_with_row_shipper_job_and_reference()
    {
        var json = TemplateKit.Render(
            """
            { "name": "{{ row.Name }}",
              "shipper": "{{ shipper.ShipperNumber }}", "job": "{{ job.id }}/{{ job.name }}", "ref": "{{ reference }}" }
            """,
            ("Name", "Ann"));
        Assert.Equal("""{"name":"Ann","shipper":"A1B2C3","job":"job1/Test job","ref":"BS-job1-7"}""", json);
    }

    [Fact]
    public void Syntax_error_is_E4003_with_line_and_column()
    {
        var e = Assert.Throws<BatchShipException>(() => ShipmentTemplate.Parse("broken", "{\n  \"a\": \"{{ if }}\"\n}"));
        Assert.Equal("E-4003", e.Error.Code);
        Assert.Contains("line 2", e.Message);
        Assert.Contains("column", e.Message);
    }

    [Fact]
    public void Column_lookup_is_case_insensitive() =>
        Assert.Equal("""{"a":"x"}""", TemplateKit.Render("""{"a": "{{ row.recipientname }}"}""", ("RecipientName", "x")));

    [Fact]
    public void Missing_column_names_the_column_and_the_row()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"a": "{{ row.Foo }}"}""", ("Bar", "1")));
        Assert.Equal("E-4003", e.Error.Code);
        Assert.Equal("Foo", e.Field);
        Assert.Equal(7, e.RowNumber);
        Assert.Contains("'Foo'", e.Message);
        Assert.Contains("row 7", e.Message);
    }

    [Fact]
    public void Optional_column_reads_as_empty_or_default() =>
        Assert.Equal("""{"a":"","b":"US"}""", TemplateKit.Render("""{"a": "{{ col "Address2" }}", "b": "{{ col "Country" "US" }}"}"""));

    [Fact]
    public void Required_column_missing_is_E1001_naming_it()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"a": "{{ required "City" }}"}""", ("City", "  ")));
        Assert.Equal("E-1001", e.Error.Code);
        Assert.Equal("City", e.Field);
        Assert.Equal(7, e.RowNumber);
    }

    [Fact]
    public void Invalid_json_output_is_E4003_with_line_and_column()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("{\n  \"a\": \"{{ row.A }}\",\n  \"b\": oops\n}", ("A", "1")));
        Assert.Equal("E-4003", e.Error.Code);
        Assert.Contains("line 3, column 8", e.Message);
    }

    [Fact]
    public void Output_that_is_not_an_object_is_E4003() =>
        Assert.Equal("E-4003", Assert.Throws<BatchShipException>(() => TemplateKit.Render("""["{{ row.A }}"]""", ("A", "1"))).Error.Code);

    [Theory]
    [InlineData("say \"hi\"")]
    [InlineData("back\\slash\\")]
    [InlineData("line1\nline2\r\n")]
    [InlineData("tab\there")]
    [InlineData("ctrl\u0001\u001f\u007f")]
    [InlineData("Zoë Müller – 東京 – Ελλάδα")]
    [InlineData("emoji 📦🚚")]
    [InlineData("\"}],\"x\":{\"")]
    [InlineData("</script><script>alert(1)</script>")]
    [InlineData("{{ row.Secret }} {% raw %}")]
    [InlineData("\\\"")]
    public void Hostile_strings_round_trip_exactly(string hostile)
    {
        var json = TemplateKit.Render("""{"name": "{{ row.Name }}", "after": "ok"}""", ("Name", hostile), ("Secret", "leak"));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(hostile, doc.RootElement.GetProperty("name").GetString());
        Assert.Equal("ok", doc.RootElement.GetProperty("after").GetString());
        Assert.Equal(2, doc.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public void A_value_written_outside_quotes_is_refused_whatever_it_holds()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"n": {{ row.N }}}""", ("N", "1")));
        Assert.Equal("E-4003", e.Error.Code);
        Assert.Contains("outside a JSON string", e.Message);
        Assert.Contains("line 1", e.Message);
    }

    [Fact]
    public void Include_is_refused()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"a": "{{ include "/etc/passwd" }}"}"""));
        Assert.Equal("E-4003", e.Error.Code);
        Assert.Contains("include", e.Message);
    }

    [Theory]
    [InlineData("""{"a": "{{ reference.GetType }}"}""")]
    [InlineData("""{"a": "{{ job.GetType }}"}""")]
    [InlineData("""{"a": "{{ row.GetType }}"}""")]
    [InlineData("""{"a": "{{ object.eval_template "x" }}"}""")]
    [InlineData("""{"a": "{{ object.eval "1+1" }}"}""")]
    public void Dotnet_members_and_eval_are_out_of_reach(string source)
    {
        // row.GetType is a missing column; the others are members no script object exposes.
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render(source, ("A", "1")));
        Assert.Equal("E-4003", e.Error.Code);
        Assert.DoesNotContain("System.", e.Message);
    }

    [Fact]
    public void One_row_cannot_change_the_builtins_for_the_next()
    {
        // The builtins are built once per template and shared by every row and worker: a row that tries to replace
        // one fails (E-4003), and the next row still sees the original.
        var template = ShipmentTemplate.Parse("t", """{"a": "{{ if row.Evil == "1"; string.upcase = "x"; end; "b" | string.upcase }}"}""");
        var e = Assert.Throws<BatchShipException>(() => template.Render(TemplateKit.Input(1, ("Evil", "1"))));
        Assert.Equal("E-4003", e.Error.Code);
        Assert.Equal("""{"a":"B"}""", template.Render(TemplateKit.Input(2, ("Evil", "0"))));
    }

    [Fact]
    public void Unknown_shipper_key_is_E2007_but_optional_keys_read_empty()
    {
        Assert.Equal("""{"a":""}""", TemplateKit.Render("""{"a": "{{ shipper.address2 }}"}"""));
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"a": "{{ shipper.AccountNo }}"}"""));
        Assert.Equal("E-2007", e.Error.Code);
        Assert.Equal("AccountNo", e.Field);
    }

    [Fact]
    public void Infinite_loop_is_stopped_with_E4003()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"a": "{{ while true }}x{{ end }}"}"""));
        Assert.Equal("E-4003", e.Error.Code);
        Assert.Equal(7, e.RowNumber);
    }

    [Fact]
    public void Runaway_recursion_is_stopped_with_E4003()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{{ func f; f; end }}{"a": "{{ f }}"}"""));
        Assert.Equal("E-4003", e.Error.Code);
    }

    [Fact]
    public void Huge_output_is_stopped_with_E4003()
    {
        var big = new string('x', 100_000);
        var e = Assert.Throws<BatchShipException>(() =>
            TemplateKit.Render("""{"a": "{{ for i in 1..900 }}{{ row.Big }}{{ end }}"}""", ("Big", big)));
        Assert.Equal("E-4003", e.Error.Code);
    }

    [Fact]
    public void Helper_refusal_names_the_column_and_row()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateKit.Render("""{"p": "{{ phone row.Phone }}"}""", ("Phone", "555-01")));
        Assert.Equal("E-2003", e.Error.Code);
        Assert.Equal("Phone", e.Field);
        Assert.Equal(7, e.RowNumber);
        Assert.Contains("555-01", e.Message);
    }

    [Fact]
    public void Helpers_work_in_pipes_and_with_arguments()
    {
        var json = TemplateKit.Render(
            """{"p": "{{ row.Phone | phone }}", "z": "{{ postal (col "Zip") "US" }}", "w": "{{ weight row.W }}", "s": "{{ service "ground" }}", "r": "{{ yesno "x" }}", "d": "{{ date "3/5/2024" }}", "t": "{{ truncate "aaa bbb" 5 }}", "q": "{{ quantity "" }}"}""",
            ("Phone", "+1 (212) 555-0100"), ("Zip", "2134"), ("W", "500 g"));
        Assert.Equal("""{"p":"2125550100","z":"02134","w":"1.2","s":"03","r":"true","d":"20240305","t":"aaa","q":"1"}""", json);
    }

    [Fact]
    public void Referenced_columns_are_found_without_rendering()
    {
        var template = ShipmentTemplate.Parse("t", """{"a": "{{ row.Name }}{{ row["Ship To"] }}{{ col "Address2" "none" }}{{ required "City" "Town" }}"}""");
        Assert.Equal(["Address2", "City", "Name", "Ship To", "Town"], template.ReferencedColumns.OrderBy(c => c, StringComparer.Ordinal));
    }

    [Fact]
    public void Indexer_reads_columns_with_spaces() =>
        Assert.Equal("""{"a":"Main"}""", TemplateKit.Render("""{"a": "{{ row["Ship To"] }}"}""", ("Ship To", "Main")));

    [Fact]
    public void Concurrent_renders_do_not_mix_rows()
    {
        var template = ShipmentTemplate.Parse("t", """{"n": "{{ row.N }}", "r": "{{ reference }}"}""");
        Parallel.For(0, 200, i =>
        {
            var input = TemplateKit.Input(i, ("N", i.ToString(System.Globalization.CultureInfo.InvariantCulture))) with { Reference = "R" + i };
            Assert.Equal($$"""{"n":"{{i}}","r":"R{{i}}"}""", template.Render(input));
        });
    }
}
