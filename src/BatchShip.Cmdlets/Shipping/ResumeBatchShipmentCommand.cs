using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Shipping;

/// <summary>Continues a Failed, Stopped or Interrupted job: settles in-flight rows with the carrier, then ships the rest.</summary>
[Cmdlet(VerbsLifecycle.Resume, "BatchShipment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("BatchShip.ShipmentResult")]
public sealed class ResumeBatchShipmentCommand : BatchRunCommand
{
    /// <summary>The job to resume (binds from Get-BatchJob output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>Put Failed rows back to Pending first, so they are shipped again.</summary>
    [Parameter]
    public SwitchParameter RetryFailed { get; set; }

    /// <summary>How many rows may be in flight at once (default: the job's own setting).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; }

    protected override void ProcessRecord()
    {
        using var store = ModuleContext.OpenStore(this);
        try
        {
            var summary = store.Summarize(JobId!);
            var failed = summary.Count(RowStatus.Failed);
            var toDo = summary.Count(RowStatus.Pending) + summary.Count(RowStatus.InFlight) + (RetryFailed ? failed : 0);
            if (!Confirmed($"job {JobId} ({toDo} row(s) via carrier {summary.Job.Carrier})", "Resume shipping")) return;
            // -RetryFailed moves the Failed rows back in the transaction that starts the run, after its checks.
            if (RetryFailed && failed > 0) Say($"Job {JobId}: {failed} failed row(s) go back to Pending as the run starts.");
            var service = ModuleContext.Service(store, this);
            // Get-Secret can run only on this thread; the run happens on another.
            service.LoadCarrierSecrets(JobId!);
            RunAndStream(service, JobId!, ThrottleLimit > 0 ? ThrottleLimit : null, RequestRate, RetryFailed.IsPresent);
        }
        catch (BatchShipException e)
        {
            WriteError(ErrorRecords.From(e.For(JobId, e.RowNumber), JobId));
        }
    }
}
