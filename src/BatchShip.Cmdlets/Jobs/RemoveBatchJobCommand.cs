using System.Globalization;
using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Errors;

namespace BatchShip.Cmdlets.Jobs;

/// <summary>Removes jobs from the store, by id or by age; what they bought stays in the audit and keeps their orders shipped.</summary>
[Cmdlet(VerbsCommon.Remove, "BatchJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByIdSet)]
[OutputType("BatchShip.RemovedJob")]
public sealed class RemoveBatchJobCommand : PSCmdlet
{
    private const string ByIdSet = "ById";
    private const string OlderThanSet = "OlderThan";

    /// <summary>The jobs to remove (binds from Get-BatchJob output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? JobId { get; set; }

    /// <summary>Every job that ended longer ago than this (90d, 12h, or a TimeSpan).</summary>
    [Parameter(Mandatory = true, ParameterSetName = OlderThanSet)]
    [RetentionTransformation]
    public TimeSpan OlderThan { get; set; }

    /// <summary>Never prompt, and remove jobs with rows in flight or under review too (their orders stay shipped).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private bool IsWhatIf =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent
        || SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;

    protected override void ProcessRecord()
    {
        using var store = ModuleContext.OpenStore(this);
        IEnumerable<string> ids;
        try
        {
            ids = ParameterSetName == OlderThanSet ? store.JobsFinishedBefore(store.UtcNow - OlderThan) : JobId!;
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
            return;
        }
        foreach (var id in ids)
        {
            try
            {
                var job = store.Summarize(id);
                var target = string.Create(CultureInfo.InvariantCulture,
                    $"job {id} '{job.Job.Name}' ({job.DisplayStatus}, {job.Job.RowCount} row(s), {job.Count(Engine.Jobs.RowStatus.Completed)} shipped for {job.TotalCost} {job.Currency})");
                const string action = "Remove the job and its rows (what it shipped stays in the audit and still counts as shipped)";
                // -Force skips the prompt, never -WhatIf: a preview removes nothing.
                if (IsWhatIf) { ShouldProcess(target, action); continue; }
                if (!Force && !ShouldProcess(target, action)) continue;
                WriteObject(RemovedJobView.From(store.RemoveJob(id, Force.IsPresent)));
            }
            catch (BatchShipException e)
            {
                WriteError(ErrorRecords.From(e.For(id, null), id));
            }
        }
    }
}
