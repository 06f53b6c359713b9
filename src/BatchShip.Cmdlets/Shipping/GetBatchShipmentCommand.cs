using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Shipping;

/// <summary>The rows of a job, in the same shape Start-BatchShipment writes: the complete write-back of any job.</summary>
[Cmdlet(VerbsCommon.Get, "BatchShipment")]
[OutputType("BatchShip.ShipmentResult")]
public sealed class GetBatchShipmentCommand : PSCmdlet
{
    /// <summary>The job (binds from Get-BatchJob output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>Only rows in these states.</summary>
    [Parameter]
    [ValidateSet("Pending", "InFlight", "Completed", "Failed", "NeedsReview", "Skipped", "AlreadyShipped", "Voided", IgnoreCase = true)]
    public string[]? Status { get; set; }

    /// <summary>Only these rows.</summary>
    [Parameter]
    public long[]? RowNumber { get; set; }

    /// <summary>Writes the labels of the rows to this folder (e.g. labels the store kept because their folder failed).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SaveLabel { get; set; }

    protected override void ProcessRecord()
    {
        using var store = ModuleContext.OpenStore(this);
        try
        {
            store.RequireJob(JobId!);
            var folder = SaveLabel is null ? null : GetUnresolvedProviderPathFromPSPath(SaveLabel);
            foreach (var row in store.GetRows(JobId!, Status?.Select(s => Enum.Parse<RowStatus>(s, ignoreCase: true)).ToArray(), RowNumber))
            {
                if (folder is null || row.LabelPaths.Count == 0)
                {
                    WriteObject(ShipmentResultView.From(row));
                    continue;
                }
                // The result shows where the labels are now; the store keeps its own copy.
                var copies = LabelWriter.CopyTo(row.LabelPaths, folder);
                WriteObject(ShipmentResultView.From(row with { LabelPaths = copies }));
            }
        }
        catch (BatchShipException e)
        {
            WriteError(ErrorRecords.From(e, JobId));
        }
    }
}
