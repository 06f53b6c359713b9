using System.Management.Automation;
using BatchShip.Cmdlets.Errors;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Store;

/// <summary>Shows which store BatchShip uses (SQLite or PostgreSQL), where, and why: the variable, the setting or the default.</summary>
[Cmdlet(VerbsCommon.Get, "BatchShipStore")]
[OutputType(typeof(StoreView))]
public sealed class GetBatchShipStoreCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        var folder = ModuleContext.StoreFolder(SessionState.Path);
        try
        {
            WriteObject(StoreView.From(StoreChoice.Resolve(folder), folder));
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, folder));
        }
    }
}
