using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Labels;

namespace BatchShip.Cmdlets.Labels;

/// <summary>Writes the labels of a job, or of the rows piped in, into one print file: a PDF of 4x6 pages or a ZPL file.</summary>
[Cmdlet(VerbsData.Export, "BatchShipmentLabel")]
[OutputType(typeof(FileInfo))]
public sealed class ExportBatchShipmentLabelCommand : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(string JobId, long? Row)> _wanted = [];

    /// <summary>The job whose labels to print (binds from Get-BatchJob, Start-BatchShipment and Get-BatchShipment output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>Only these rows of the job (binds from the results of Start-BatchShipment and Get-BatchShipment).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long[]? RowNumber { get; set; }

    /// <summary>The print file to write; <c>&lt;jobId&gt;-labels.pdf</c> (or .zpl) in the current folder by default.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>PDF (one 4x6 page per label) or ZPL (for a thermal printer). By default .zpl in -Path means ZPL, and so does
    /// a job bought with -LabelFormat ZPL; anything else is PDF.</summary>
    [Parameter]
    [ValidateSet("PDF", "ZPL", IgnoreCase = true)]
    public string? Format { get; set; }

    protected override void ProcessRecord()
    {
        if (RowNumber is not { Length: > 0 }) _wanted.Add((JobId!, null));
        else foreach (var row in RowNumber) _wanted.Add((JobId!, row));
    }

    protected override void EndProcessing()
    {
        if (_wanted.Count == 0) return;
        using var store = ModuleContext.OpenStore(this);
        try
        {
            var rows = new List<RowRecord>();
            var seen = new HashSet<(string, long)>();
            foreach (var (jobId, row) in _wanted)
            {
                store.RequireJob(jobId);
                // A whole job prints what it shipped itself; a row asked for by number is reported when it has no label.
                var found = row is null ? store.GetRows(jobId, [RowStatus.Completed]) : store.GetRows(jobId, null, [row.Value]);
                if (row is not null && found.Count == 0)
                    throw new BatchShipException(ErrorCatalog.NotFound, $"Job {jobId} has no row {row}.", "RowNumber", row, jobId);
                foreach (var record in found)
                    if (seen.Add((record.JobId, record.RowNumber))) rows.Add(record);
            }

            // Row order within each job (results of a run come in finishing order), jobs in the order they came.
            var jobOrder = _wanted.Select(w => w.JobId).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            rows = rows.OrderBy(r => jobOrder.FindIndex(j => string.Equals(j, r.JobId, StringComparison.OrdinalIgnoreCase)))
                .ThenBy(r => r.RowNumber).ToList();

            var firstJob = store.RequireJob(_wanted[0].JobId);
            var print = PrintFormatFor(Path, firstJob.Options.LabelFormat);
            var path = Path is null
                ? System.IO.Path.Combine(SessionState.Path.CurrentFileSystemLocation.ProviderPath, $"{firstJob.JobId}-labels.{(print == PrintFormat.Zpl ? "zpl" : "pdf")}")
                : GetUnresolvedProviderPathFromPSPath(Path);

            var service = ModuleContext.Service(store, this);
            service.LoadCarrierSecrets(rows);
            var result = service.ExportLabelsAsync(rows, path, print, _stop.Token).GetAwaiter().GetResult();
            foreach (var problem in result.Problems) WriteError(ErrorRecords.From(problem, problem.JobId));
            if (result.Path is null)
                ThrowTerminatingError(ErrorRecords.From(new BatchShipException(ErrorCatalog.LabelUnavailable,
                    $"No label could be printed, so no file was written ({rows.Count} row(s) asked for).", "JobId")));
            WriteVerbose($"Wrote {result.Labels} label(s) of {rows.Count} row(s) to {result.Path}.");
            WriteObject(new FileInfo(result.Path!));
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, e.JobId));
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();

    private PrintFormat PrintFormatFor(string? path, string? jobLabelFormat)
    {
        if (Format is not null) return Format.Equals("ZPL", StringComparison.OrdinalIgnoreCase) ? PrintFormat.Zpl : PrintFormat.Pdf;
        var extension = path is null ? null : System.IO.Path.GetExtension(path);
        if (!string.IsNullOrEmpty(extension)) return extension.Equals(".zpl", StringComparison.OrdinalIgnoreCase) ? PrintFormat.Zpl : PrintFormat.Pdf;
        return string.Equals(jobLabelFormat, "ZPL", StringComparison.OrdinalIgnoreCase) ? PrintFormat.Zpl : PrintFormat.Pdf;
    }
}
