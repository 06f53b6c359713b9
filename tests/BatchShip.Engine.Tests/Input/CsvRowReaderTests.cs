using System.Text;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Input;
using Xunit;

namespace BatchShip.Engine.Tests.Input;

/// <summary>-Delimiter and -Encoding of Start-BatchShipment -Path, on real files.</summary>
public sealed class CsvRowReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("batchship-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text, Encoding encoding)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllBytes(path, encoding.GetBytes(text));
        return path;
    }

    [Fact]
    public void Reads_a_semicolon_file_in_Windows_1252()
    {
        var path = Write("Name;City\r\n\"Zoë; Müller\";Montréal\r\n", TextEncodings.Parse("1252"));
        var row = Assert.Single(CsvRowReader.Read(path, ';', TextEncodings.Parse("1252")));
        Assert.Equal([new("Name", "Zoë; Müller"), new("City", "Montréal")], row);
    }

    [Fact]
    public void Without_the_delimiter_the_header_is_one_column()
    {
        var path = Write("Name;City\r\nA;B\r\n", new UTF8Encoding(false));
        Assert.Equal("Name;City", Assert.Single(Assert.Single(CsvRowReader.Read(path)).Select(c => c.Key)));
    }

    [Theory]
    [InlineData("utf8", 65001)]
    [InlineData("utf8BOM", 65001)]
    [InlineData("unicode", 1200)]
    [InlineData("latin1", 28591)]
    [InlineData("ascii", 20127)]
    [InlineData("1252", 1252)]
    [InlineData("windows-1252", 1252)]
    public void Encoding_names_are_those_of_Import_Csv(string name, int codePage) =>
        Assert.Equal(codePage, TextEncodings.Parse(name).CodePage);

    [Fact]
    public void An_unknown_encoding_is_E4007() =>
        Assert.Equal("E-4007", Assert.Throws<BatchShipException>(() => TextEncodings.Parse("klingon")).Error.Code);

    [Fact]
    public void A_quote_cannot_be_the_delimiter() =>
        Assert.Equal("E-4007", Assert.Throws<BatchShipException>(() => CsvRowReader.Read(Path.Combine(_folder, "x.csv"), '"')).Error.Code);
}
