using System.Management.Automation;
using BatchShip.Engine.Carriers;

namespace BatchShip.Cmdlets.Output;

/// <summary>What Test-BatchShipCarrier found: type name <c>BatchShip.CarrierTest</c>.</summary>
internal static class CarrierTestView
{
    public const string TypeName = "BatchShip.CarrierTest";

    public static PSObject From(CarrierCheckResult result)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, TypeName);
        void Add(string name, object? value) => o.Properties.Add(new PSNoteProperty(name, value));
        Add("Name", result.Name);
        Add("Passed", result.Passed);
        Add("Started", result.Started);
        Add("Tools", result.Tools.ToArray());
        Add("Missing", result.Missing.ToArray());
        Add("CredentialsPresent", result.CredentialsPresent);
        Add("RateOk", result.RateOk);
        Add("Problems", result.Problems.Select(p =>
        {
            var problem = new PSObject();
            problem.Properties.Add(new PSNoteProperty("Severity", p.Severity));
            problem.Properties.Add(new PSNoteProperty("Problem", p.What));
            problem.Properties.Add(new PSNoteProperty("Fix", p.Fix));
            return problem;
        }).ToArray());
        return o;
    }
}
