using BatchShip.Engine.Errors;
using Xunit;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Tests.Templates;

public sealed class ConverterTests
{
    [Theory]
    [InlineData("(212) 555-0100", "2125550100")]
    [InlineData("+1 212 555 0100", "2125550100")]
    [InlineData("1-212-555-0100", "2125550100")]
    [InlineData("212.555.0100 ext. 12", "2125550100")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void Phone_keeps_ten_us_digits(string input, string expected) => Assert.Equal(expected, PhoneNumbers.Normalize(input));

    [Theory]
    [InlineData("555-0100")]
    [InlineData("2 212 555 0100")]
    [InlineData("1-800-FLOWERS")]
    public void Phone_refuses_what_is_not_a_us_number(string input) =>
        Assert.Equal("E-2003", Assert.Throws<BatchShipException>(() => PhoneNumbers.Normalize(input)).Error.Code);

    [Fact]
    public void Phone_outside_the_us_keeps_its_digits() => Assert.Equal("442079460000", PhoneNumbers.Normalize("+44 20 7946 0000", "GB"));

    [Theory]
    [InlineData("2134", "02134")]
    [InlineData("02134", "02134")]
    [InlineData("501", "00501")]
    [InlineData("2134-1234", "02134-1234")]
    [InlineData("21341234", "02134-1234")]
    [InlineData(" 10001 ", "10001")]
    [InlineData("", "")]
    public void Postal_restores_us_zip_codes(string input, string expected) => Assert.Equal(expected, PostalCodes.Normalize(input));

    [Theory]
    [InlineData("12")]
    [InlineData("ABCDE")]
    [InlineData("123456")]
    [InlineData("02134-12")]
    public void Postal_refuses_bad_us_zip_codes(string input) =>
        Assert.Equal("E-2001", Assert.Throws<BatchShipException>(() => PostalCodes.Normalize(input)).Error.Code);

    [Theory]
    [InlineData("2134", "MA", "02134")]        // leading zero restored, then checked: Boston
    [InlineData("94105-1234", "CA", "94105-1234")]
    [InlineData("00501", "NY", "00501")]       // Holtsville, NY: a prefix outside the state's main range
    [InlineData("10012", "ON", "10012")]       // no ZIP ranges for a province: not checked here
    [InlineData("10012", "", "10012")]         // no state given: nothing to check against
    public void Postal_accepts_a_zip_code_of_the_given_state(string input, string state, string expected) =>
        Assert.Equal(expected, PostalCodes.Normalize(input, "US", state));

    [Theory]
    [InlineData("10012", "CA", "NY")]
    [InlineData("94105", "MA", "CA")]
    [InlineData("00100", "CA", null)]
    public void Postal_refuses_a_zip_code_of_another_state_naming_the_state_it_belongs_to(string input, string state, string? owner)
    {
        var e = Assert.Throws<BatchShipException>(() => PostalCodes.Normalize(input, "US", state));
        Assert.Equal("E-2001", e.Error.Code);
        Assert.Contains($"does not belong to state {state}", e.Message, StringComparison.Ordinal);
        if (owner is not null) Assert.Contains($"are in {owner}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postal_does_not_check_the_state_of_a_foreign_postal_code() =>
        Assert.Equal("10012", PostalCodes.Normalize("10012", "DE", "CA"));

    [Fact]
    public void Postal_passes_foreign_codes_through_upper_cased() => Assert.Equal("K1A 0B1", PostalCodes.Normalize(" k1a 0b1 ", "CA"));

    [Theory]
    [InlineData("new york", "NY")]
    [InlineData("NEW YORK", "NY")]
    [InlineData("ny", "NY")]
    [InlineData("District of Columbia", "DC")]
    [InlineData("Ontario", "ON")]
    [InlineData("québec", "QC")]
    [InlineData("", "")]
    public void State_names_and_codes_become_codes(string input, string expected) => Assert.Equal(expected, StateCodes.Normalize(input));

    [Theory]
    [InlineData("Nowhere")]
    [InlineData("ZZ")]
    public void State_unknown_is_E2002(string input) =>
        Assert.Equal("E-2002", Assert.Throws<BatchShipException>(() => StateCodes.Normalize(input)).Error.Code);

    [Fact]
    public void State_outside_us_and_canada_passes_through() => Assert.Equal("JAL", StateCodes.Normalize("jal", "MX"));

    [Theory]
    [InlineData("USA", "US")]
    [InlineData("United States", "US")]
    [InlineData("us", "US")]
    [InlineData("U.S.A.", "US")]
    [InlineData("Canada", "CA")]
    [InlineData("united kingdom", "GB")]
    [InlineData("DEU", "DE")]
    public void Country_names_and_codes_become_iso_codes(string input, string expected) => Assert.Equal(expected, CountryCodes.Normalize(input));

    [Theory]
    [InlineData("Atlantis")]
    [InlineData("")]
    public void Country_unknown_is_E1003(string input) =>
        Assert.Equal("E-1003", Assert.Throws<BatchShipException>(() => CountryCodes.Normalize(input)).Error.Code);

    [Theory]
    [InlineData("2.5", "2.5")]
    [InlineData("2.5 lb", "2.5")]
    [InlineData("3 lbs", "3.0")]
    [InlineData("500 g", "1.2")]
    [InlineData("3kg", "6.7")]
    [InlineData("12 oz", "0.8")]
    [InlineData("0.01", "0.1")]
    [InlineData("2.04", "2.1")]
    public void Weight_becomes_pounds_with_one_decimal(string input, string expected) => Assert.Equal(expected, Weights.ToPounds(input));

    [Theory]
    [InlineData("2,5", "comma")]
    [InlineData("", "empty")]
    [InlineData("0", "above zero")]
    [InlineData("-1", "above zero")]
    [InlineData("5 stone", "unit")]
    [InlineData("heavy", "not a number")]
    public void Weight_refusals_say_why(string input, string reason)
    {
        var e = Assert.Throws<BatchShipException>(() => Weights.ToPounds(input));
        Assert.Equal("E-2004", e.Error.Code);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Weight_ignores_the_current_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("2.5", Weights.ToPounds("2.5"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("12", "12.0")]
    [InlineData("30 cm", "11.9")]
    [InlineData("", "")]
    public void Inches_convert_lengths(string input, string expected) => Assert.Equal(expected, Dimensions.ToInches(input));

    [Fact]
    public void Inches_refuse_a_decimal_comma() =>
        Assert.Equal("E-2009", Assert.Throws<BatchShipException>(() => Dimensions.ToInches("12,5")).Error.Code);

    [Theory]
    [InlineData("ground", "03")]
    [InlineData("Next Day Air", "01")]
    [InlineData("2nd day air", "02")]
    [InlineData("3 Day Select", "12")]
    [InlineData("next day air saver", "13")]
    [InlineData("next day air early", "14")]
    [InlineData("2nd day air am", "59")]
    [InlineData("2nd Day Air A.M.", "59")]
    [InlineData("UPS Worldwide Express", "07")]
    [InlineData("worldwide saver", "65")]
    [InlineData("03", "03")]
    [InlineData("3", "03")]
    public void Service_aliases_become_codes(string input, string expected) => Assert.Equal(expected, ServiceCodes.Normalize(input));

    [Theory]
    [InlineData("teleport")]
    [InlineData("99")]
    [InlineData("")]
    public void Service_unknown_is_E2008(string input) =>
        Assert.Equal("E-2008", Assert.Throws<BatchShipException>(() => ServiceCodes.Normalize(input)).Error.Code);

    [Theory]
    [InlineData("yes", true)]
    [InlineData("Y", true)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("x", true)]
    [InlineData("no", false)]
    [InlineData("N", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void YesNo_reads_ticks(string input, bool expected) => Assert.Equal(expected, YesNo.Parse(input));

    [Fact]
    public void YesNo_other_is_E1003() => Assert.Equal("E-1003", Assert.Throws<BatchShipException>(() => YesNo.Parse("maybe")).Error.Code);

    [Theory]
    [InlineData("2024-03-05", "20240305")]
    [InlineData("3/5/2024", "20240305")]
    [InlineData("03/05/24", "20240305")]
    [InlineData("5 Mar 2024", "20240305")]
    [InlineData("March 5, 2024", "20240305")]
    [InlineData("20240305", "20240305")]
    [InlineData("2024-03-05T10:00:00Z", "20240305")]
    [InlineData("", "")]
    public void Date_becomes_yyyymmdd(string input, string expected) => Assert.Equal(expected, Dates.ToYyyyMmDd(input));

    [Fact]
    public void Date_unreadable_is_E1003() => Assert.Equal("E-1003", Assert.Throws<BatchShipException>(() => Dates.ToYyyyMmDd("next tuesday")).Error.Code);

    [Theory]
    [InlineData("Short name", 35, "Short name")]
    [InlineData("The Quite Extraordinarily Long Company Name Inc", 35, "The Quite Extraordinarily Long")]
    [InlineData("Supercalifragilisticexpialidocious-and-more", 10, "Supercalif")]
    [InlineData("Two\nlines", 35, "Two lines")]
    public void Truncate_cuts_on_a_word_boundary(string input, int max, string expected) => Assert.Equal(expected, TextFit.Truncate(input, max));

    [Fact]
    public void Address_lines_move_overflow_to_the_next_line()
    {
        var lines = TextFit.AddressLines(["1234 Extraordinarily Long Boulevard Northeast Building 7", "Suite 500", null]);
        Assert.Equal(["1234 Extraordinarily Long Boulevard", "Northeast Building 7 Suite 500"], lines);
        Assert.All(lines, l => Assert.True(l.Length <= 35));
    }

    [Fact]
    public void Address_lines_skip_empty_parts() =>
        Assert.Equal(["1 Main St", "Floor 2"], TextFit.AddressLines(["1 Main St", "", "Floor 2"]));

    [Fact]
    public void Address_lines_that_cannot_fit_are_E2005()
    {
        var word = "Street ";
        var tooLong = string.Concat(Enumerable.Repeat(word, 20));
        Assert.Equal("E-2005", Assert.Throws<BatchShipException>(() => TextFit.AddressLines([tooLong, null, null])).Error.Code);
        Assert.Equal("E-2005", Assert.Throws<BatchShipException>(() => TextFit.AddressLines([new string('x', 36), null, null])).Error.Code);
    }
}
