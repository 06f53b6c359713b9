using BatchShip.Engine.Errors;
using Xunit;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Tests.Templates;

public sealed class TemplateLibraryTests
{
    [Theory]
    [InlineData("ups-ground")]
    [InlineData("UPS-Ground")]
    [InlineData("ground")]
    public void Finds_the_built_in_case_insensitively(string name) =>
        Assert.Equal("ups-ground", TemplateLibrary.Load(name, TemplateKit.BuiltInDirectory).Name);

    [Fact]
    public void Lists_the_built_ins() => Assert.Contains("ups-ground", TemplateLibrary.BuiltInNames(TemplateKit.BuiltInDirectory));

    [Fact]
    public void Unknown_name_is_E4007_naming_the_built_ins()
    {
        var e = Assert.Throws<BatchShipException>(() => TemplateLibrary.Load("fedex-overnight", TemplateKit.BuiltInDirectory));
        Assert.Equal("E-4007", e.Error.Code);
        Assert.Contains("ups-ground", e.Message);
    }

    [Fact]
    public void Loads_a_template_by_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"custom-{Guid.NewGuid():N}.sbn");
        File.WriteAllText(path, """{"a": "{{ reference }}"}""");
        try
        {
            var template = TemplateLibrary.Load(path, TemplateKit.BuiltInDirectory);
            Assert.Equal("""{"a":"BS-job1-7"}""", template.Render(TemplateKit.Input()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_path_is_E4007() =>
        Assert.Equal("E-4007", Assert.Throws<BatchShipException>(() =>
            TemplateLibrary.Load(Path.Combine(Path.GetTempPath(), "no-such-template.sbn"), TemplateKit.BuiltInDirectory)).Error.Code);
}
