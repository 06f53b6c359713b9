using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Shipping;

/// <summary>Asks a job running in another process to stop after its in-flight rows (it stays resumable), or with
/// -Cancel, cancels a job for good: its Pending rows are skipped and never shipped.</summary>
[Cmdlet(VerbsLifecycle.Stop, "BatchShipment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class StopBatchShipmentCommand : PSCmdlet
{
    /// <summary>The job to stop (binds from Get-BatchJob output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>Cancel the job: its Pending rows are skipped, and it can never be resumed.</summary>
    [Parameter]
    public SwitchParameter Cancel { get; set; }

    protected override void ProcessRecord()
    {
        using var store = ModuleContext.OpenStore(this);
        try
        {
            var summary = store.Summarize(JobId!);
            if (Cancel)
            {
                if (!ShouldProcess($"job {JobId} ({summary.DisplayStatus}, {summary.Count(Engine.Jobs.RowStatus.Pending)} row(s) pending)",
                    "Cancel: skip its pending rows for good")) return;
                WriteVerbose(store.CancelJob(JobId!)
                    ? $"Job {JobId}: cancelled; its pending rows were skipped."
                    : $"Job {JobId}: cancel requested; its runner stops after the rows in flight and ends it Cancelled.");
                return;
            }
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
