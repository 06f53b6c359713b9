using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Jobs;

/// <summary>Lists batch jobs from the per-user store, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "BatchJob")]
[OutputType("BatchShip.Job")]
public sealed class GetBatchJobCommand : PSCmdlet
{
    /// <summary>Only these jobs.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? JobId { get; set; }

    /// <summary>Only jobs in these states (Interrupted: Running, but its runner is gone).</summary>
    [Parameter]
    [ValidateSet("Created", "Running", "Completed", "CompletedWithErrors", "Failed", "Stopped", "Cancelled", "Interrupted", IgnoreCase = true)]
    public string[]? Status { get; set; }

    /// <summary>Only jobs a plain Resume continues: Failed, Stopped, Interrupted, or Created and fully staged.</summary>
    [Parameter]
    public SwitchParameter Resumable { get; set; }

    /// <summary>Only jobs whose name matches this wildcard.</summary>
    [Parameter]
    [SupportsWildcards]
    public string? Name { get; set; }

    /// <summary>At most this many jobs, newest first.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Newest { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            using var store = ModuleContext.OpenStore(this);
            var query = new JobQuery(JobId, Status, Name, Newest > 0 ? Newest : null, Resumable.IsPresent);
            var jobs = store.ListJobs(query);
            foreach (var job in jobs) WriteObject(JobView.From(job));
            if (JobId is not null)
            {
                // A job filtered out by -Status or -Name is not an error; a job that does not exist is.
                foreach (var missing in JobId.Where(id => store.GetJob(id) is null))
                    WriteError(ErrorRecords.From(ErrorCatalog.NotFound, $"There is no job {missing}.", missing));
            }
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
    }
}
