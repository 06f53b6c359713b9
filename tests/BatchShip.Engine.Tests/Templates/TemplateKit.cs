using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Tests.Templates;

/// <summary>Inputs and paths shared by the template tests.</summary>
internal static class TemplateKit
{
    public const string Reference = "BS-job1-7";

    public static IReadOnlyDictionary<string, string> Shipper { get; } = ShipperValidator.Validate(new Dictionary<string, string?>
    {
        ["Name"] = "Acme Widgets",
        ["ShipperNumber"] = "A1B2C3",
        ["Phone"] = "(212) 555-0100",
        ["Address1"] = "1 Main Street",
        ["City"] = "New York",
        ["State"] = "NY",
        ["PostalCode"] = "10001",
        ["Country"] = "US",
    });

    public static TemplateInput Input(long rowNumber = 7, params (string Name, string Value)[] columns) =>
        new(rowNumber, columns.Select(c => KeyValuePair.Create(c.Name, c.Value)).ToArray(), Shipper, "job1", "Test job", Reference);

    public static string Render(string source, params (string Name, string Value)[] columns) =>
        ShipmentTemplate.Parse("test", source).Render(Input(7, columns));

    /// <summary>The repository's module/templates folder, found by walking up to the solution file.</summary>
    public static string BuiltInDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "BatchShip.Cmdlets.sln")))
                    return Path.Combine(dir.FullName, "module", "templates");
            throw new InvalidOperationException("The repository root (BatchShip.Cmdlets.sln) was not found above the test output.");
        }
    }
}
