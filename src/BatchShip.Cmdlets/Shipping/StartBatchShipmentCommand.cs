using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Input;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Input;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Shipping;

/// <summary>Ships one carrier shipment per input row, checkpointing every row so the batch can be resumed.</summary>
[Cmdlet(VerbsLifecycle.Start, "BatchShipment", DefaultParameterSetName = PipelineSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("BatchShip.ShipmentResult", "BatchShip.ShipmentPreview")]
public sealed class StartBatchShipmentCommand : BatchRunCommand, IDisposable
{
    private const string PipelineSet = "Pipeline";
    private const string PathSet = "Path";

    private BatchStore? _store;
    private BatchService? _service;
    private PreparedBatch? _batch;
    private JobStaging? _staging;
    private long _previewRows;
    private long _previewProblems;
    private long _previewAlreadyShipped;
    private long _previewRowHashes;
    private readonly DuplicateOrderCheck _previewOrders = new();

    /// <summary>A row: an Import-Csv object, a hashtable, or any object whose properties are the columns.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
    public PSObject? InputObject { get; set; }

    /// <summary>A CSV file (UTF-8, with or without BOM) to read the rows from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>A built-in template name (ups-ground) or the path to a .sbn file.</summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(TemplateCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Template { get; set; }

    /// <summary>The shipper: a hashtable, an object, or the path to a JSON file.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public object? Shipper { get; set; }

    /// <summary>The carrier profile; the offline Sandbox by default.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(CarrierCompleter))]
    [ValidateNotNullOrEmpty]
    public string Carrier { get; set; } = "Sandbox";

    /// <summary>A name for the job.</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>Where label files go; by default labels/&lt;job&gt; under the store folder.</summary>
    [Parameter]
    public string? LabelDirectory { get; set; }

    /// <summary>Stop (fail fast, the default) or Continue past failed rows within -MaxFailures.</summary>
    [Parameter]
    [ValidateSet("Stop", "Continue", IgnoreCase = true)]
    public string ErrorPolicy { get; set; } = "Stop";

    /// <summary>Under -ErrorPolicy Continue: how many failed rows the job tolerates.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaxFailures { get; set; } = int.MaxValue;

    /// <summary>How many rows may be in flight at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>The column holding each row's order key; default Reference when present, else a hash of the row.</summary>
    [Parameter]
    public string? KeyProperty { get; set; }

    /// <summary>Ship rows even when their order was already shipped by another row.</summary>
    [Parameter]
    public SwitchParameter AllowDuplicate { get; set; }

    /// <summary>Ships nothing: checks every row as -WhatIf does and writes one BatchShip.ShipmentPreview per row.</summary>
    [Parameter]
    public SwitchParameter Preview { get; set; }

    /// <summary>True when rows are only checked: -WhatIf reports to the host, -Preview writes objects.</summary>
    private bool OnlyChecking => IsWhatIf || Preview.IsPresent;

    protected override void BeginProcessing()
    {
        try
        {
            _store = ModuleContext.OpenStore(this);
            _service = ModuleContext.Service(_store);
            var shipper = RowConverter.ToDictionary(Shipper!, p => File.ReadAllText(GetUnresolvedProviderPathFromPSPath(p)));
            var template = System.IO.Path.GetExtension(Template!).Length > 0 ? GetUnresolvedProviderPathFromPSPath(Template!) : Template!;
            _batch = _service.Prepare(new BatchRequest(template, shipper, Carrier, Name,
                LabelDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(LabelDirectory),
                new JobOptions
                {
                    ErrorPolicy = Enum.Parse<ErrorPolicy>(ErrorPolicy, ignoreCase: true),
                    MaxFailures = MaxFailures,
                    ThrottleLimit = ThrottleLimit,
                    KeyProperty = KeyProperty,
                    AllowDuplicate = AllowDuplicate.IsPresent,
                    MaxRequestsPerSecond = RequestRate,
                }));
            if (!OnlyChecking) _staging = _service.BeginJob(_batch);
        }
        catch (BatchShipException e)
        {
            Cleanup();
            ThrowTerminatingError(ErrorRecords.From(e));
        }
        catch (System.Text.Json.JsonException e)
        {
            Cleanup();
            ThrowTerminatingError(ErrorRecords.From(ErrorCatalog.Shipper, $"-Shipper is not a valid JSON file: {e.Message}", Shipper));
        }
        catch (IOException e)
        {
            Cleanup();
            ThrowTerminatingError(ErrorRecords.From(ErrorCatalog.FileSystem, e.Message, Shipper));
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PathSet)
        {
            IEnumerable<IReadOnlyList<KeyValuePair<string, string>>> rows = CsvRowReader.Read(GetUnresolvedProviderPathFromPSPath(Path!));
            using var reader = rows.GetEnumerator();
            while (true)
            {
                try
                {
                    if (!reader.MoveNext()) break;
                }
                catch (BatchShipException e)
                {
                    // The file itself cannot be read on (an unclosed quote, an I/O error): like a row that cannot be
                    // staged, it stops the batch before anything ships, and the half-staged job is removed.
                    Cleanup(discardJob: true);
                    ThrowTerminatingError(ErrorRecords.From(e, Path));
                }
                Stage(reader.Current);
            }
        }
        else if (InputObject is not null)
        {
            Stage(RowConverter.ToRow(InputObject));
        }
    }

    private void Stage(IReadOnlyList<KeyValuePair<string, string>> row)
    {
        try
        {
            if (_staging is not null)
            {
                _staging.Add(row);
                return;
            }
            var preview = _service!.Preview(_batch!, row, ++_previewRows, _previewOrders);
            if (preview.KeyIsRowHash) _previewRowHashes++;
            if (preview.Error is not null) _previewProblems++;
            else if (preview.AlreadyShippedBy is not null) _previewAlreadyShipped++;
            // -Preview says it all in the objects; -WhatIf, which writes no objects, says it in errors and warnings.
            if (Preview.IsPresent) WriteObject(ShipmentPreviewView.From(row, preview));
            else if (preview.Error is { } error) WriteError(ErrorRecords.From(error, row));
            else if (preview.AlreadyShippedBy is { } by) WriteWarning($"Row {preview.RowNumber} would be skipped: its order was already shipped by {by}.");
        }
        catch (BatchShipException e)
        {
            if (_staging is null)
            {
                _previewProblems++;
                WriteError(ErrorRecords.From(e, row));
                return;
            }
            // A row that cannot be staged (its key cannot be read, it repeats an earlier row's order, a column of it
            // cannot be shown in the results) stops the whole batch before anything ships. The half-staged job is
            // removed first, so that nothing is left behind whatever the error action does with the error.
            var rowNumber = e.RowNumber ?? _staging.Count + 1;
            Cleanup(discardJob: true);
            ThrowTerminatingError(ErrorRecords.From(e.For(null, rowNumber), row));
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            if (_staging is null)
            {
                if (NaturalKeys.RowHashWarning(_previewRowHashes, _previewRows) is { } previewWarning) WriteWarning(previewWarning);
                var wouldShip = _previewRows - _previewProblems - _previewAlreadyShipped;
                var counts = $"{_previewRows} row(s) via carrier {Carrier} with template {_batch!.Template.Name}: {wouldShip} would ship, " +
                    $"{_previewAlreadyShipped} already shipped (would be skipped), {_previewProblems} with problems";
                if (Preview.IsPresent) WriteInformation(new InformationRecord($"Preview of {counts}.", "BatchShip"));
                if (IsWhatIf) ShouldProcess(counts, "Ship");
                return;
            }
            if (_staging.Count == 0)
            {
                // No orders today is not a failure of a nightly task: say so, create nothing.
                Cleanup(discardJob: true);
                WriteWarning($"{ErrorCatalog.EmptyInput.Code} {ErrorCatalog.EmptyInput.Title}: no rows came in, so no job was created.");
                return;
            }
            // Once per run, before the prompt: a whole-row key is the usual cause of an order shipped twice.
            if (_staging.KeyWarning is { } warning) WriteWarning(warning);
            if (!Confirmed($"{_staging.Count} row(s) via carrier {Carrier} with template {_batch!.Template.Name}", "Ship"))
            {
                Cleanup(discardJob: true);
                return;
            }
            _staging.Complete();
            var jobId = _staging.Job.JobId;
            _staging = null; // staged for good: from here on the job is resumable, never discarded
            WriteVerbose($"Job {jobId}: rows staged.");
            RunAndStream(_service!, jobId, null, null);
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
        finally
        {
            Cleanup();
        }
    }

    /// <summary>Stopped while staging (Ctrl+C in the input): the half-staged job, which never ran, is removed.</summary>
    public void Dispose() => Cleanup(discardJob: true);

    private void Cleanup(bool discardJob = false)
    {
        if (discardJob && _staging is not null)
        {
            try { _store?.DeleteCreatedJob(_staging.Job.JobId); } catch (BatchShipException) { }
            _staging = null;
        }
        _store?.Dispose();
        _store = null;
    }
}
