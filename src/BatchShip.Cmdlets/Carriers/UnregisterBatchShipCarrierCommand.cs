using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Loading;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;

namespace BatchShip.Cmdlets.Carriers;

/// <summary>Removes a registered carrier profile; built-in carriers cannot be removed. Jobs keep their carrier's name.</summary>
[Cmdlet(VerbsLifecycle.Unregister, "BatchShipCarrier", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class UnregisterBatchShipCarrierCommand : PSCmdlet
{
    /// <summary>The registered carrier to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CarrierCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        var store = ModuleContext.StoreFolder(SessionState.Path);
        foreach (var name in Name)
        {
            try
            {
                var file = CarrierRegistry.UserProfileFile(ModuleInitializer.ModuleRoot, store, name);
                if (!ShouldProcess($"carrier '{name}' ({file})", "Unregister")) continue;
                CarrierRegistry.Unregister(ModuleInitializer.ModuleRoot, store, name);
            }
            catch (BatchShipException e)
            {
                WriteError(ErrorRecords.From(e, name));
            }
        }
    }
}
