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
[Cmdlet(VerbsCommon.Get, "BatchShipment", DefaultParameterSetName = JobSet)]
[OutputType("BatchShip.ShipmentResult")]
public sealed class GetBatchShipmentCommand : PSCmdlet
{
    private const string JobSet = "Job";
    private const string ReferenceSet = "Reference";

    /// <summary>The job (binds from Get-BatchJob output); with -Reference, only that job is searched.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = JobSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ReferenceSet)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>Finds orders by their order reference (the Reference column or the job's -KeyProperty column) across every job.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ReferenceSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Reference { get; set; }

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
            if (JobId is not null) store.RequireJob(JobId);
            var folder = SaveLabel is null ? null : GetUnresolvedProviderPathFromPSPath(SaveLabel);
            var statuses = Status?.Select(s => Enum.Parse<RowStatus>(s, ignoreCase: true)).ToArray();
            var rows = ParameterSetName == ReferenceSet ? FindOrders(store, statuses) : store.GetRows(JobId!, statuses, RowNumber);
            foreach (var row in rows)
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

    // Each pattern on its own, so a row found by two patterns is written once and a reference without a wildcard that
    // matches nothing is reported, as Get-ChildItem reports a path that does not exist.
    private IEnumerable<RowRecord> FindOrders(BatchStore store, IReadOnlyCollection<RowStatus>? statuses)
    {
        var seen = new HashSet<(string, long)>();
        foreach (var pattern in Reference!)
        {
            var found = store.FindRowsByOrder(pattern, statuses)
                .Where(r => (JobId is null || string.Equals(r.JobId, JobId, StringComparison.OrdinalIgnoreCase))
                    && (RowNumber is not { Length: > 0 } || RowNumber.Contains(r.RowNumber)))
                .ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                WriteError(ErrorRecords.From(new BatchShipException(ErrorCatalog.OrderNotFound,
                    $"No row of {(JobId is null ? "any job" : $"job {JobId}")} has the order reference '{pattern}'.", "Reference"), pattern));
            foreach (var row in found)
                if (seen.Add((row.JobId, row.RowNumber))) yield return row;
        }
    }
}
