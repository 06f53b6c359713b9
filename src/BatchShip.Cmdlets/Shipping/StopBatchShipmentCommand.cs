using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Shipping;

/// <summary>Asks a job running in another process to stop after its in-flight rows; it stays resumable.</summary>
[Cmdlet(VerbsLifecycle.Stop, "BatchShipment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class StopBatchShipmentCommand : PSCmdlet
{
    /// <summary>The job to stop (binds from Get-BatchJob output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    protected override void ProcessRecord()
    {
        using var store = ModuleContext.OpenStore(this);
        try
        {
            var summary = store.Summarize(JobId!);
            if (!ShouldProcess($"job {JobId} ({summary.DisplayStatus})", "Stop after the rows in flight")) return;
            store.RequestStop(JobId!);
            WriteVerbose($"Job {JobId}: stop requested; its runner stops after the rows in flight.");
        }
        catch (BatchShipException e)
        {
            WriteError(ErrorRecords.From(e.For(JobId, null), JobId));
        }
    }
}
