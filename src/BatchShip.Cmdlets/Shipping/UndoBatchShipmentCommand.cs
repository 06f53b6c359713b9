using System.Globalization;
using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Shipping;

/// <summary>Voids shipments at the carrier: a whole job's, some rows', some orders', or the results piped in. A voided
/// row's order no longer counts as shipped, so it can be shipped again.</summary>
[Cmdlet(VerbsCommon.Undo, "BatchShipment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = JobSet)]
[OutputType("BatchShip.ShipmentResult")]
public sealed class UndoBatchShipmentCommand : PSCmdlet, IDisposable
{
    private const string JobSet = "Job";
    private const string ReferenceSet = "Reference";

    /// <summary>The job whose shipments to void (binds from Get-BatchJob and from shipment results).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = JobSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ReferenceSet)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>Only these rows of the job (binds from shipment results).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    public long[]? RowNumber { get; set; }

    /// <summary>The order references (wildcards allowed) whose shipments to void, in any job.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ReferenceSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Reference { get; set; }

    /// <summary>Void without prompting (for scheduled tasks).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private readonly List<RowRecord> _rows = [];
    private readonly HashSet<(string, long)> _seen = [];
    private readonly CancellationTokenSource _stop = new();

    private bool IsWhatIf =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent
        || SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;

    // Rows are gathered first, so that one prompt names how many shipments will be voided.
    protected override void ProcessRecord()
    {
        using var store = ModuleContext.OpenStore(this);
        try
        {
            foreach (var row in ParameterSetName == ReferenceSet ? FindOrders(store) : FindJobRows(store))
                if (_seen.Add((row.JobId, row.RowNumber))) _rows.Add(row);
        }
        catch (BatchShipException e)
        {
            WriteError(ErrorRecords.From(e, JobId));
        }
    }

    protected override void EndProcessing()
    {
        if (_rows.Count == 0) return;
        var shipped = _rows.Where(r => r.Status == RowStatus.Completed).ToList();
        var cost = shipped.Sum(r => r.Cost ?? 0m);
        var currency = shipped.Select(r => r.Currency).FirstOrDefault(c => c is not null);
        var jobs = _rows.Select(r => r.JobId).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var target = string.Create(CultureInfo.InvariantCulture,
            $"{shipped.Count} shipment(s) of {(jobs.Count == 1 ? $"job {jobs[0]}" : $"{jobs.Count} jobs")}, {cost} {currency}");
        const string action = "Void at the carrier (their orders can then be shipped again)";
        // -Force skips the prompt, never -WhatIf: a preview voids nothing.
        if (IsWhatIf) { ShouldProcess(target, action); return; }
        if (!Force && !ShouldProcess(target, action)) return;

        using var store = ModuleContext.OpenStore(this);
        var service = ModuleContext.Service(store, this);
        // Vault secrets are read here, on the pipeline thread; the voids run on others.
        try { service.LoadCarrierSecrets(shipped); }
        catch (BatchShipException e) { ThrowTerminatingError(ErrorRecords.From(e)); }
        var voider = service.CreateVoider();
        try
        {
            var done = 0;
            foreach (var row in _rows)
            {
                if (_stop.IsCancellationRequested) break;
                WriteProgress(new ProgressRecord(1, "Voiding shipments", $"Row {row.RowNumber} of job {row.JobId}")
                {
                    PercentComplete = done * 100 / _rows.Count,
                });
                var result = voider.VoidAsync(row, _stop.Token).GetAwaiter().GetResult();
                done++;
                if (result.Error is { } error)
                {
                    WriteError(ErrorRecords.From(error, ShipmentResultView.From(result.Row)));
                    continue;
                }
                if (result.AlreadyVoided)
                    WriteWarning($"Row {row.RowNumber} of job {row.JobId} (shipment {row.ShipmentId}) was already voided; nothing more was done.");
                WriteObject(ShipmentResultView.From(result.Row));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: the row being voided keeps its intent in the audit; running Undo again settles it.
        }
        finally
        {
            voider.DisposeAsync().AsTask().GetAwaiter().GetResult();
            WriteProgress(new ProgressRecord(1, "Voiding shipments", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();

    private IEnumerable<RowRecord> FindJobRows(BatchStore store)
    {
        store.RequireJob(JobId!);
        if (RowNumber is { Length: > 0 })
        {
            var rows = store.GetRows(JobId!, rowNumbers: RowNumber);
            foreach (var missing in RowNumber.Where(n => rows.All(r => r.RowNumber != n)))
                WriteError(ErrorRecords.From(new BatchShipException(ErrorCatalog.NotFound, $"Job {JobId} has no row {missing}.", rowNumber: missing, jobId: JobId), JobId));
            return rows;
        }
        var completed = store.GetRows(JobId!, [RowStatus.Completed]);
        if (completed.Count == 0) WriteWarning($"Job {JobId} has no shipped (Completed) rows to void.");
        return completed;
    }

    // Each pattern on its own, as Get-BatchShipment -Reference does: a reference without a wildcard that matches no
    // shipped row is reported.
    private IEnumerable<RowRecord> FindOrders(BatchStore store)
    {
        var found = new List<RowRecord>();
        foreach (var pattern in Reference!)
        {
            var rows = store.FindRowsByOrder(pattern, [RowStatus.Completed])
                .Where(r => (JobId is null || string.Equals(r.JobId, JobId, StringComparison.OrdinalIgnoreCase))
                    && (RowNumber is not { Length: > 0 } || RowNumber.Contains(r.RowNumber)))
                .ToList();
            if (rows.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                WriteError(ErrorRecords.From(new BatchShipException(ErrorCatalog.OrderNotFound,
                    $"No shipped row of {(JobId is null ? "any job" : $"job {JobId}")} has the order reference '{pattern}'.", "Reference"), pattern));
            found.AddRange(rows);
        }
        return found;
    }
}
