using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Loading;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Carriers;

namespace BatchShip.Cmdlets.Carriers;

/// <summary>Lists the carriers: built-in and registered, with their command, tools and the credentials they read (names only).</summary>
[Cmdlet(VerbsCommon.Get, "BatchShipCarrier")]
[OutputType("BatchShip.Carrier")]
public sealed class GetBatchShipCarrierCommand : PSCmdlet
{
    /// <summary>Carrier names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CarrierCompleter))]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var entries = CarrierRegistry.List(ModuleInitializer.ModuleRoot, ModuleContext.StoreFolder(SessionState.Path));
        foreach (var pattern in Name is { Length: > 0 } ? Name : ["*"])
        {
            var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
            var found = entries.Where(e => wildcard.IsMatch(e.Name)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                WriteError(Errors.ErrorRecords.From(Engine.Errors.ErrorCatalog.Configuration,
                    $"No carrier named '{pattern}'. Carriers: {string.Join(", ", entries.Select(e => e.Name))}.", pattern));
            foreach (var entry in found) WriteObject(CarrierView.From(entry));
        }
    }
}
