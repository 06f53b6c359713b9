using System.Management.Automation;
using BatchShip.Engine.Carriers;

namespace BatchShip.Cmdlets.Output;

/// <summary>A carrier profile as PowerShell shows it: type name <c>BatchShip.Carrier</c>. Credentials appear as the
/// variables and vault entries they are read from, never as values.</summary>
internal static class CarrierView
{
    public const string TypeName = "BatchShip.Carrier";

    public static PSObject From(CarrierEntry entry)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, TypeName);
        void Add(string name, object? value) => o.Properties.Add(new PSNoteProperty(name, value));
        var profile = entry.Profile;
        Add("Name", entry.Name);
        Add("Source", entry.Source);
        Add("BuiltIn", entry.BuiltIn);
        Add("Command", profile?.Command);
        Add("Arguments", profile is null ? "" : string.Join(" ", profile.Arguments));
        Add("CreateTool", profile?.CreateTool);
        Add("LookupTool", profile?.LookupTool);
        Add("Credentials", profile is null ? "" : string.Join(", ", Credentials(profile)));
        Add("Problem", entry.Problem);
        return o;
    }

    // What a profile reads: $env:NAME as NAME, a vault entry as secret:vault/name; literals are not shown.
    private static IEnumerable<string> Credentials(CarrierProfile profile) =>
        profile.Environment.Values
            .Select(v => CarrierEnvironment.ReferencedVariable(v) ?? SecretReference.Parse(v)?.ToString())
            .OfType<string>()
            .Order(StringComparer.OrdinalIgnoreCase);
}
