using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Tests.Jobs;

/// <summary>The natural key is canonical: the same order gives the same key however its row was built.</summary>
public sealed class NaturalKeyTests
{
    private static KeyValuePair<string, string>[] Row(params (string Name, string Value)[] columns) =>
        columns.Select(c => KeyValuePair.Create(c.Name, c.Value)).ToArray();

    private static string Key(KeyValuePair<string, string>[] row, string? keyProperty = null) =>
        NaturalKeys.For(row, keyProperty, "Sandbox", "a1b2c3", 1);

    [Fact]
    public void A_row_without_a_reference_has_the_same_key_whatever_the_column_order()
    {
        var a = Row(("Name", "Ann"), ("City", "Boston"), ("Zip", "02210"), ("Weight", "2"));
        var b = Row(("Weight", "2"), ("Zip", "02210"), ("Name", "Ann"), ("City", "Boston"));

        Assert.Equal(Key(a), Key(b));
        Assert.True(NaturalKeys.IsRowHash(Key(a)));
    }

    [Fact]
    public void A_row_hash_ignores_the_case_of_column_names_and_blanks_around_names_and_values()
    {
        var a = Row(("Name", "Ann"), ("City", "Boston"));
        var b = Row((" CITY ", "Boston  "), ("name", " Ann"));

        Assert.Equal(Key(a), Key(b));
    }

    [Fact]
    public void A_row_hash_still_tells_different_values_and_the_case_of_values_apart()
    {
        var a = Row(("Name", "Ann"), ("City", "Boston"));

        Assert.NotEqual(Key(a), Key(Row(("Name", "Ann"), ("City", "Austin"))));
        Assert.NotEqual(Key(a), Key(Row(("Name", "ANN"), ("City", "Boston"))));
        // Moving a value to another column is another row, not the same one.
        Assert.NotEqual(Key(Row(("A", "x"), ("B", ""))), Key(Row(("A", ""), ("B", "x"))));
    }

    [Fact]
    public void The_reference_is_trimmed_and_compared_without_case()
    {
        var lower = Key(Row(("Reference", "ord-1001"), ("City", "Boston")));
        var upper = Key(Row(("City", "Austin"), ("REFERENCE", "  ORD-1001 ")));

        Assert.Equal(lower, upper);
        Assert.EndsWith("|key:ORD-1001", lower);
        Assert.False(NaturalKeys.IsRowHash(lower));
    }

    [Fact]
    public void The_key_property_is_found_without_case_and_its_value_is_canonical()
    {
        var a = Key(Row(("OrderNo", " so-77 "), ("Reference", "ignored")), "orderno");
        var b = Key(Row(("ORDERNO", "SO-77")), "OrderNo");

        Assert.Equal(a, b);
        Assert.EndsWith("|key:SO-77", a);
    }

    [Fact]
    public void A_missing_key_property_value_is_refused()
    {
        var e = Assert.Throws<BatchShipException>(() => Key(Row(("OrderNo", "  ")), "OrderNo"));
        Assert.Equal(ErrorCatalog.MissingField, e.Error);
    }

    [Fact]
    public void The_key_is_scoped_to_carrier_and_shipper_account_without_case()
    {
        var row = Row(("Reference", "R-1"));
        Assert.Equal(NaturalKeys.For(row, null, "sandbox", "A1B2C3", 1), NaturalKeys.For(row, null, "SANDBOX", "a1b2c3", 1));
        Assert.NotEqual(NaturalKeys.For(row, null, "sandbox", "A1B2C3", 1), NaturalKeys.For(row, null, "sandbox", "Z9Z9Z9", 1));
    }

    [Theory]
    [InlineData("ord-1001", "ORD-1001", true)]
    [InlineData(" ORD-10* ", "ORD-1002", true)]
    [InlineData("ORD-?001", "ORD-2001", true)]
    [InlineData("ORD-1001", "ORD-10011", false)]
    [InlineData("ORD-[1]", "ORD-[1]", true)]
    [InlineData("ORD-[1]", "ORD-1", false)]
    [InlineData("ORD_1%", "ORD_1%", true)]
    [InlineData("ORD_1%", "ORDX1Y", false)]
    public void An_order_pattern_matches_the_key_of_an_order_reference_like_a_PowerShell_wildcard(string pattern, string reference, bool matches)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT @key LIKE @pattern ESCAPE '\\'";
        cmd.Parameters.AddWithValue("@key", Key(Row(("Reference", reference))));
        cmd.Parameters.AddWithValue("@pattern", NaturalKeys.OrderLikePattern(pattern));

        Assert.Equal(matches ? 1L : 0L, (long)cmd.ExecuteScalar()!);
    }
}
