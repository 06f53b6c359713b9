using System.Globalization;
using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Input;
using BatchShip.Engine.Carriers;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Input;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Quotes;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Shipping;

/// <summary>Ships one carrier shipment per input row, checkpointing every row so the batch can be resumed.</summary>
[Cmdlet(VerbsLifecycle.Start, "BatchShipment", DefaultParameterSetName = PipelineSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("BatchShip.ShipmentResult", "BatchShip.ShipmentPreview", "BatchShip.ShipmentQuote")]
public sealed class StartBatchShipmentCommand : BatchRunCommand, IDisposable
{
    private const string PipelineSet = "Pipeline";
    private const string PathSet = "Path";

    private BatchStore? _store;
    private BatchService? _service;
    private PreparedBatch? _batch;
    private JobStaging? _staging;
    private ICarrierSession? _carrier;
    private bool _whatIf;
    private long _previewRows;
    private long _previewProblems;
    private long _previewAlreadyShipped;
    private long _previewRowHashes;
    private bool _columnsChecked;
    private readonly DuplicateOrderCheck _previewOrders = new();
    private readonly List<IReadOnlyList<KeyValuePair<string, string>>> _quoteRows = [];

    /// <summary>A row: an Import-Csv object, a hashtable, or any object whose properties are the columns.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
    public PSObject? InputObject { get; set; }

    /// <summary>A CSV file (UTF-8, with or without BOM, unless -Encoding says otherwise) to read the rows from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The character between the fields of the -Path file, as for Import-Csv: ',' by default, ';' for a
    /// European Excel export, "`t" for tab-separated.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public char Delimiter { get; set; } = ',';

    /// <summary>The encoding of the -Path file, as for Import-Csv: utf8 (the default), utf8BOM, utf8NoBOM, unicode,
    /// ascii, latin1, ansi, oem, a code page number such as 1252, or an Encoding object.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [EncodingTransformation]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    [ValidateNotNull]
    public System.Text.Encoding? Encoding { get; set; }

    /// <summary>Your own column names: @{ TemplateColumn = 'Your column' }, e.g. @{ PostalCode = 'Zip' }. Stored with
    /// the job, so Resume-BatchShipment reads the rows the same way.</summary>
    [Parameter]
    [ValidateNotNull]
    public System.Collections.Hashtable? ColumnMap { get; set; }

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

    /// <summary>The column whose value makes rows one order (e.g. Reference, for a shop export with one row per line
    /// item): the rows of a group ship as one shipment with the first row's address and their weights summed into
    /// one package, and every row's result carries its tracking number.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GroupBy { get; set; }

    /// <summary>With -GroupBy: the order ships as one shipment with one package per row (each row's weight and
    /// dimensions, in row order) instead of one package of the rows' summed weight. Stored with the job.</summary>
    [Parameter]
    public SwitchParameter PackagePerRow { get; set; }

    /// <summary>Ship rows even when their order was already shipped by another row.</summary>
    [Parameter]
    public SwitchParameter AllowDuplicate { get; set; }

    /// <summary>The label format: GIF, PNG, PDF or ZPL (for a thermal printer). Without it the template's own default
    /// (GIF for ups-ground). Stored with the job, so Resume-BatchShipment buys the same labels.</summary>
    [Parameter]
    [ValidateSet("GIF", "PNG", "PDF", "ZPL", IgnoreCase = true)]
    public string? LabelFormat { get; set; }

    /// <summary>Before each row is bought, its ship-to address goes through the carrier's address validation tool: an
    /// address the carrier does not know, or knows several of, fails its row (E-2017) with nothing bought. Stored with
    /// the job, so Resume-BatchShipment validates too.</summary>
    [Parameter]
    public SwitchParameter ValidateAddress { get; set; }

    /// <summary>Ships nothing: checks every row as -WhatIf does and writes one BatchShip.ShipmentPreview per row.</summary>
    [Parameter]
    public SwitchParameter Preview { get; set; }

    /// <summary>Ships nothing: rates every row through the carrier's rate tool and writes one BatchShip.ShipmentQuote
    /// per row, with the total on the Information stream.</summary>
    [Parameter]
    public SwitchParameter Quote { get; set; }

    /// <summary>The most the batch may cost: the rows are quoted first and, when the quoted total is higher, nothing is
    /// shipped and the job is removed (E-3008). In the carrier's currency.</summary>
    [Parameter]
    public decimal? MaxTotalCost { get; set; }

    /// <summary>True when rows are only checked: -WhatIf reports to the host, -Preview writes objects.</summary>
    private bool OnlyChecking => IsWhatIf || Preview.IsPresent;

    protected override void BeginProcessing()
    {
        // Everything that can be checked without buying is checked here, before a job exists: the -Path file, the
        // template, the shipper, the label folder, the carrier profile and its credential variables, and the carrier
        // itself (started, its tools listed). A mistake in any of them leaves nothing behind.
        _whatIf = OnlyChecking;
        try
        {
            if (Quote.IsPresent && Preview.IsPresent)
                throw new BatchShipException(ErrorCatalog.Configuration, "-Quote and -Preview cannot be used together: -Quote checks every row as -Preview does and prices it too.", "Quote");
            if (MaxTotalCost < 0)
                throw new BatchShipException(ErrorCatalog.Configuration, "-MaxTotalCost must be zero or more.", "MaxTotalCost");
            if (ParameterSetName == PathSet) InputFile.RequireExists(GetUnresolvedProviderPathFromPSPath(Path!), "Path");
            _store = ModuleContext.OpenStore(this);
            _service = ModuleContext.Service(_store, this);
            var shipper = RowConverter.ToDictionary(Shipper!, p => InputFile.ReadAllText(GetUnresolvedProviderPathFromPSPath(p), "Shipper"));
            var template = System.IO.Path.GetExtension(Template!).Length > 0 ? GetUnresolvedProviderPathFromPSPath(Template!) : Template!;
            _batch = _service.Prepare(new BatchRequest(template, shipper, Carrier, Name,
                LabelDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(LabelDirectory),
                new JobOptions
                {
                    ErrorPolicy = Enum.Parse<ErrorPolicy>(ErrorPolicy, ignoreCase: true),
                    MaxFailures = MaxFailures,
                    ThrottleLimit = ThrottleLimit,
                    KeyProperty = KeyProperty,
                    GroupBy = GroupBy?.Trim(),
                    PackagePerRow = PackagePerRow.IsPresent,
                    AllowDuplicate = AllowDuplicate.IsPresent,
                    ValidateAddress = ValidateAddress.IsPresent,
                    MaxRequestsPerSecond = RequestRate,
                    ColumnMap = ColumnMap is null ? null : ToColumnMap(ColumnMap),
                    LabelFormat = LabelFormat?.ToUpperInvariant(),
                }));
            WriteDebug(Settings(_batch));
            // Started once and handed to the run: the check costs no second start, and the run ships through the very
            // process that was checked.
            _carrier = _service.StartCarrierAsync(_batch, StopToken).GetAwaiter().GetResult();
            WriteDebug($"Carrier {_batch.Carrier.Name} started ({_batch.Carrier.Command}); it offers the tool {_batch.Carrier.CreateTool}.");
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
        catch (OperationCanceledException)
        {
            Cleanup(); // Ctrl+C while the carrier was starting
            throw new PipelineStoppedException();
        }
    }

    private static string Settings(PreparedBatch batch)
    {
        var o = batch.Options;
        var failures = o.ErrorPolicy == Engine.Jobs.ErrorPolicy.Continue ? $" (at most {o.MaxFailures} failures)" : "";
        var rate = o.MaxRequestsPerSecond is { } rps ? rps.ToString(CultureInfo.InvariantCulture) : "none";
        return $"Settings: template {batch.Template.Name}, carrier {batch.Carrier.Name}, shipper number {batch.ShipperNumber}, " +
            $"error policy {o.ErrorPolicy}{failures}, throttle limit {o.ThrottleLimit}, max requests per second {rate}, " +
            $"order key {o.KeyColumn() ?? "Reference (else a hash of the row)"}, grouped by {o.GroupBy ?? "nothing (one shipment per row)"}{(o.PackagePerRow ? " (one package per row)" : "")}, duplicates {(o.AllowDuplicate ? "allowed" : "refused")}, " +
            $"labels to {batch.Request.LabelDirectory ?? "the store's labels folder"}.";
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PathSet)
        {
            IEnumerable<IReadOnlyList<KeyValuePair<string, string>>> rows = CsvRowReader.Read(GetUnresolvedProviderPathFromPSPath(Path!), Delimiter, Encoding);
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
        if (!_columnsChecked)
        {
            _columnsChecked = true;
            try
            {
                BatchService.CheckColumns(_batch!, row);
            }
            catch (BatchShipException e)
            {
                // A header that does not fit the template is one mistake of the whole input: said once, before any job
                // exists or anything is previewed or bought.
                Cleanup(discardJob: true);
                ThrowTerminatingError(ErrorRecords.From(e, ParameterSetName == PathSet ? Path : row));
            }
        }
        if (Quote.IsPresent)
        {
            // Priced together at the end, concurrently; nothing is staged, so the rows wait in memory.
            _quoteRows.Add(row);
            return;
        }
        if (_whatIf)
        {
            PreviewRow(row);
            return;
        }
        try
        {
            // The job is created with its first row, which is checked first: no input, or a first row that lacks the
            // -KeyProperty column, leaves no job.
            if (_staging is null)
            {
                _staging = _service!.BeginJob(_batch!, row);
                WriteDebug($"Job {_staging.Job.JobId} created; staging its rows.");
            }
            _staging.Add(row);
        }
        catch (BatchShipException e)
        {
            // A row that cannot be staged (its key cannot be read, it repeats an earlier row's order, a column of it
            // cannot be shown in the results) stops the whole batch before anything ships. The half-staged job is
            // removed first, so that nothing is left behind whatever the error action does with the error.
            var rowNumber = e.RowNumber ?? (_staging?.Count ?? 0) + 1;
            Cleanup(discardJob: true);
            ThrowTerminatingError(ErrorRecords.From(e.For(null, rowNumber), row));
        }
    }

    private void PreviewRow(IReadOnlyList<KeyValuePair<string, string>> row)
    {
        try
        {
            var preview = _service!.Preview(_batch!, row, ++_previewRows, _previewOrders);
            if (preview.KeyIsRowHash) _previewRowHashes++;
            if (preview.Error is not null) _previewProblems++;
            else if (preview.AlreadyShippedBy is not null) _previewAlreadyShipped++;
            // -Preview says it all in the objects; -WhatIf, which writes no objects, says it in errors and warnings.
            if (Preview.IsPresent) WriteObject(ShipmentPreviewView.From(row, preview));
            else if (preview.Error is { } error) WriteError(ErrorRecords.From(error, row));
            else if (preview.AlreadyShippedBy is { } by) Warn($"Row {preview.RowNumber} would be skipped: its order was already shipped by {by}.");
        }
        catch (BatchShipException e)
        {
            _previewProblems++;
            WriteError(ErrorRecords.From(e, row));
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            if (Quote.IsPresent)
            {
                WriteQuote();
                return;
            }
            if (_whatIf)
            {
                if (NaturalKeys.RowHashWarning(_previewRowHashes, _previewRows) is { } previewWarning) Warn(previewWarning);
                var wouldShip = _previewRows - _previewProblems - _previewAlreadyShipped;
                var counts = $"{_previewRows} row(s) via carrier {Carrier} with template {_batch!.Template.Name}: {wouldShip} would ship, " +
                    $"{_previewAlreadyShipped} already shipped (would be skipped), {_previewProblems} with problems";
                if (Preview.IsPresent) WriteInformation(new InformationRecord($"Preview of {counts}.", "BatchShip"));
                if (IsWhatIf) ShouldProcess(counts, "Ship");
                return;
            }
            if (_staging is null)
            {
                // No orders today is not a failure of a nightly task: say so, create nothing.
                Warn($"{ErrorCatalog.EmptyInput.Code} {ErrorCatalog.EmptyInput.Title}: no rows came in, so no job was created.");
                return;
            }
            // Once per run, before the prompt: a whole-row key is the usual cause of an order shipped twice.
            if (_staging.KeyWarning is { } warning) Warn(warning);
            if (!ConfirmedAfterQuote($"{_staging.Count} row(s) via carrier {Carrier} with template {_batch!.Template.Name}"))
            {
                Cleanup(discardJob: true);
                return;
            }
            _staging.Complete();
            var jobId = _staging.Job.JobId;
            var staged = _staging.Count;
            _staging = null; // staged for good: from here on the job is resumable, never discarded
            Say($"Job {jobId}: {staged} row(s) staged.");
            var carrier = _carrier;
            _carrier = null; // the run owns it now
            RunAndStream(_service!, jobId, null, null, carrier: carrier);
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

    /// <summary>Asks before buying, naming the count and the quoted cost; stops a run whose quote is over
    /// -MaxTotalCost. The rows are quoted only when someone will read the answer: a prompt, or -MaxTotalCost.</summary>
    private bool ConfirmedAfterQuote(string target)
    {
        var staging = _staging!;
        var staged = staging.Count;
        var prompting = !Force.IsPresent && WouldPrompt();
        if (MaxTotalCost is null && !prompting) return true;

        BatchQuote quote;
        try
        {
            quote = QuoteRows((report, quoted) => _service!.QuoteStagedAsync(_batch!, staging, _carrier!, report, quoted, StopToken), staged);
        }
        catch (BatchShipException e) when (e.Error == ErrorCatalog.CannotQuote && MaxTotalCost is null)
        {
            // Only the prompt wanted the price: it asks without one.
            Say($"{e.Message} The prompt names no cost.");
            return ShouldProcess(target, $"Ship {staged} rows? (carrier {Carrier} cannot quote them)", "Ship the batch");
        }
        catch (BatchShipException e)
        {
            // Nothing was sent and the job never ran: it goes, as a declined prompt's does.
            Cleanup(discardJob: true);
            ThrowTerminatingError(ErrorRecords.From(e));
            return false;
        }
        WriteVerbose($"Quote: {QuoteSummary(quote)}");
        foreach (var failed in quote.Rows.Where(r => r.Error is not null))
            Warn($"Row {failed.RowNumber} could not be quoted and is not in the total: {failed.Error!.Error.Code} {failed.Error.Message}");

        if (MaxTotalCost is { } max && quote.Exceeding(max) is { } over)
        {
            var jobId = staging.Job.JobId;
            Cleanup(discardJob: true);
            ThrowTerminatingError(ErrorRecords.From(new BatchShipException(ErrorCatalog.QuoteOverLimit,
                string.Create(CultureInfo.InvariantCulture,
                    $"The quote for {over.Rows} row(s) is {over.Amount:N2} {over.Currency}, more than -MaxTotalCost {max:N2}. Nothing was shipped; job {jobId} was removed."),
                "MaxTotalCost"), quote.TotalText));
            return false;
        }
        if (!prompting) return true;
        var toShip = staged - quote.AlreadyShipped;
        var notes = new List<string>();
        if (quote.Failed > 0) notes.Add($"{quote.Failed} could not be quoted");
        if (quote.AlreadyShipped > 0) notes.Add($"{quote.AlreadyShipped} already shipped and skipped");
        var question = $"Ship {toShip} rows for an estimated {quote.TotalText}?" + (notes.Count > 0 ? $" ({string.Join("; ", notes)})" : "");
        return ShouldProcess($"{target}, quoted at {quote.TotalText}", question, "Ship the batch");
    }

    /// <summary>True when ShouldProcess would ask: -Confirm, or a $ConfirmPreference at or below this command's impact.</summary>
    private bool WouldPrompt()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)) return ((SwitchParameter)confirm).IsPresent;
        var preference = SessionState.PSVariable.GetValue("ConfirmPreference");
        var level = preference is ConfirmImpact impact ? impact
            : Enum.TryParse<ConfirmImpact>(preference?.ToString(), ignoreCase: true, out var parsed) ? parsed : ConfirmImpact.High;
        return level != ConfirmImpact.None && level <= ConfirmImpact.Medium;
    }

    private void WriteQuote()
    {
        var quote = QuoteRows((report, quoted) => _service!.QuoteAsync(_batch!, _quoteRows, _carrier!, report, quoted, StopToken), _quoteRows.Count);
        foreach (var row in quote.Rows) WriteObject(ShipmentQuoteView.From(row));
        WriteInformation(new InformationRecord(ShipmentQuoteView.Total(quote, $"Quote of {QuoteSummary(quote)}."), "BatchShip"));
        if (MaxTotalCost is { } max && quote.Exceeding(max) is { } over)
            WriteError(ErrorRecords.From(new BatchShipException(ErrorCatalog.QuoteOverLimit, string.Create(CultureInfo.InvariantCulture,
                $"The quote for {over.Rows} row(s) is {over.Amount:N2} {over.Currency}, more than -MaxTotalCost {max:N2}; a run with this limit would ship nothing."),
                "MaxTotalCost"), quote.TotalText));
    }

    private string QuoteSummary(BatchQuote quote) =>
        $"{quote.Rows.Count} row(s) via carrier {Carrier} with template {_batch!.Template.Name}: {quote.WouldShip} would ship for an estimated {quote.TotalText}, " +
        $"{quote.AlreadyShipped} already shipped (quoted, not in the total), {quote.Failed} could not be quoted";

    /// <summary>Runs a quote on a worker and, on this thread (the only one that may write), shows its progress and
    /// the carrier's slow-downs until it ends. Ctrl+C stops it.</summary>
    private BatchQuote QuoteRows(Func<Action<BatchEvent>, Action<RowQuote>, Task<BatchQuote>> start, long total)
    {
        using var events = new System.Collections.Concurrent.BlockingCollection<object>();
        var quoting = Task.Run(() => start(events.Add, events.Add));
        quoting.ContinueWith(_ => events.CompleteAdding(), TaskScheduler.Default);
        long done = 0;
        foreach (var e in events.GetConsumingEnumerable())
        {
            switch (e)
            {
                case RowQuote:
                    done++;
                    if (done == total || done % 25 == 0)
                        WriteProgress(new ProgressRecord(2, "Quoting the batch", string.Create(CultureInfo.InvariantCulture, $"{done} of {total} rows"))
                        {
                            PercentComplete = (int)Math.Min(100, done * 100 / Math.Max(1, total)),
                        });
                    break;
                case CarrierWait w:
                    WriteVerbose(string.Create(CultureInfo.InvariantCulture,
                        $"Quote row {w.RowNumber}: {w.Reason}. Retry {w.Attempt} of {w.MaxAttempts} in {w.Wait.TotalSeconds:0.#} s."));
                    break;
                case CarrierSlowedDown d:
                    WriteVerbose($"Quote: {d.Reason}; at most {d.Concurrency} in flight.");
                    break;
            }
        }
        WriteProgress(new ProgressRecord(2, "Quoting the batch", "Done") { RecordType = ProgressRecordType.Completed });
        try
        {
            return quoting.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    private static Dictionary<string, string> ToColumnMap(System.Collections.Hashtable map)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            var column = (entry.Key?.ToString() ?? "").Trim();
            var input = (LanguagePrimitives.ConvertTo<string>(entry.Value) ?? "").Trim();
            if (column.Length == 0 || input.Length == 0)
                throw new BatchShipException(ErrorCatalog.ColumnMap, $"-ColumnMap has an empty name ('{column}' = '{input}'); write @{{ TemplateColumn = 'Your column' }}.", "ColumnMap");
            result[column] = input;
        }
        return result;
    }

    /// <summary>Stopped while staging (Ctrl+C in the input): the half-staged job, which never ran, is removed.</summary>
    public void Dispose() => Cleanup(discardJob: true);

    private void Cleanup(bool discardJob = false)
    {
        if (_carrier is not null)
        {
            var carrier = _carrier;
            _carrier = null;
            carrier.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (discardJob && _staging is not null)
        {
            try { _store?.DeleteCreatedJob(_staging.Job.JobId); } catch (BatchShipException) { }
            _staging = null;
        }
        _store?.Dispose();
        _store = null;
    }
}
