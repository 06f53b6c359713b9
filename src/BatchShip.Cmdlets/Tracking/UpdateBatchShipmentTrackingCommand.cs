using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Tracking;

/// <summary>Asks the carrier where the packages of shipped rows are, and records each row's delivery status.</summary>
[Cmdlet(VerbsData.Update, "BatchShipmentTracking")]
[OutputType("BatchShip.ShipmentResult")]
public sealed class UpdateBatchShipmentTrackingCommand : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(string JobId, long[]? Rows)> _asked = [];

    /// <summary>The job whose shipped rows are tracked (binds from Get-BatchJob and from shipment results).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>Only these rows (binds from shipment results, so piped rows are tracked one by one).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long[]? RowNumber { get; set; }

    /// <summary>How many tracking calls may be in progress at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    protected override void ProcessRecord() => _asked.Add((JobId!, RowNumber));

    // Rows are gathered first, so that piped results are tracked together under one throttle and one carrier start.
    protected override void EndProcessing()
    {
        using var store = ModuleContext.OpenStore(this);
        var rows = new List<RowRecord>();
        var seen = new HashSet<(string, long)>();
        foreach (var (jobId, numbers) in _asked)
        {
            try
            {
                store.RequireJob(jobId);
                foreach (var row in store.GetRows(jobId, [RowStatus.Completed], numbers))
                    if (seen.Add((row.JobId, row.RowNumber))) rows.Add(row);
            }
            catch (BatchShipException e)
            {
                WriteError(ErrorRecords.From(e, jobId));
            }
        }
        if (rows.Count == 0) return;

        IReadOnlyList<Engine.Tracking.TrackingResult> results;
        try
        {
            WriteVerbose($"Tracking {rows.Count} shipped row(s), {ThrottleLimit} at a time.");
            var service = ModuleContext.Service(store, this);
            service.LoadCarrierSecrets(rows);
            results = service.TrackAsync(rows, ThrottleLimit, _stop.Token).GetAwaiter().GetResult();
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, JobId));
            return;
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }

        foreach (var result in results)
        {
            if (result.Error is { } error) WriteError(ErrorRecords.From(error, result.Row.Reference));
            else WriteObject(ShipmentResultView.From(result.Row));
        }
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();
}
