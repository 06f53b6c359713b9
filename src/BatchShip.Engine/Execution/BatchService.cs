using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Input;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Labels;
using BatchShip.Engine.Quotes;
using BatchShip.Engine.Store;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Execution;

/// <summary>
/// The one entry point the cmdlets use: prepare a request, stage rows, preview them, run or resume a job.
/// Everything here is checked before anything is bought.
/// </summary>
public sealed class BatchService
{
    private readonly string _moduleRoot;
    private readonly ExecutorSettings _settings;
    private readonly CarrierSecrets? _secrets;

    /// <param name="store">The per-user store.</param>
    /// <param name="moduleRoot">The module folder (built-in templates and the sandbox carrier live there).</param>
    /// <param name="settings">Executor tuning; defaults when null.</param>
    /// <param name="secrets">Reads the vault secrets a carrier profile refers to; null when there is no vault access.</param>
    public BatchService(BatchStore store, string moduleRoot, ExecutorSettings? settings = null, CarrierSecrets? secrets = null)
    {
        Store = store;
        _moduleRoot = moduleRoot;
        _secrets = secrets;
        _settings = settings ?? new ExecutorSettings { CrashAt = CrashPoint.FromEnvironment() };
    }

    public BatchStore Store { get; }

    /// <summary>The folder of the built-in templates.</summary>
    public string TemplateDirectory => Path.Combine(_moduleRoot, "templates");

    /// <summary>Loads the template, checks the shipper, finds the carrier and checks that the credential variables
    /// its profile reads are set. Throws the first problem; creates nothing.</summary>
    public PreparedBatch Prepare(BatchRequest request)
    {
        var template = TemplateLibrary.Load(request.Template, TemplateDirectory);
        var shipper = ShipperValidator.Validate(request.Shipper);
        // A label folder that cannot take a file is found now, not after the first label was bought.
        if (!string.IsNullOrWhiteSpace(request.LabelDirectory)) LabelWriter.EnsureWritable(Path.GetFullPath(request.LabelDirectory));
        var carrier = CarrierProfiles.Resolve(request.Carrier, _moduleRoot, Store.Folder);
        carrier.RequireCreateTool();
        // Also reads the vault secrets now, on the caller's thread, for every later start of the carrier.
        CarrierEnvironment.Resolve(carrier.Name, carrier.Environment, Environment.GetEnvironmentVariable, _secrets);
        if (request.Options.ValidateAddress && carrier.ValidateTool is null)
            throw new BatchShipException(ErrorCatalog.CarrierToolMissing,
                $"Carrier '{carrier.Name}' has no address validation tool (its profile's tools.validate is null), which -ValidateAddress needs.", "ValidateAddress");
        if (request.Options.ThrottleLimit < 1)
            throw new BatchShipException(ErrorCatalog.Configuration, "-ThrottleLimit must be at least 1.", "ThrottleLimit");
        if (request.Options is { GroupBy: { } group, KeyProperty: { } key } && !string.Equals(group.Trim(), key.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new BatchShipException(ErrorCatalog.GroupKeyConflict,
                $"-GroupBy '{group}' and -KeyProperty '{key}' name different columns, so one order could carry two order keys.", "KeyProperty");
        // The remedy is said here, not by E-4007's general one, which is about names and paths.
        if (request.Options.PackagePerRow && request.Options.GroupBy is null)
            throw new BatchShipException(ErrorCatalog.Configuration,
                "-PackagePerRow was given without -GroupBy; it makes the rows of one order the packages of one shipment, so it needs -GroupBy to say which rows make an order.", "PackagePerRow")
            { Remedy = "Add -GroupBy with the column that holds the order number, or leave out -PackagePerRow." };
        if (request.Options.PackagePerRow && !template.ReadsOrderPackages)
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"Template '{template.Name}' does not read {ShipmentTemplate.OrderPackagesVariable}, so it cannot ship one package per row.", "PackagePerRow")
            { Remedy = $"Use a template that loops over {ShipmentTemplate.OrderPackagesVariable} in its Package list (ups-ground does), or leave out -PackagePerRow." };
        return new PreparedBatch(request, template, shipper, carrier);
    }

    /// <summary>The job-level check of the input's columns (E-1007, E-1008), made on the first row before it is staged
    /// or previewed: a header that does not fit the template is reported once, not once per row.</summary>
    public static void CheckColumns(PreparedBatch batch, IReadOnlyList<KeyValuePair<string, string>> firstRow) =>
        ColumnCheck.Require(batch.Template, firstRow.Select(c => c.Key).ToArray(), batch.Options.ColumnMap);

    /// <summary>Starts the batch's carrier and checks it offers the tools its profile needs (E-4013, E-4007, E-5003, E-3011),
    /// before any job exists. The session is meant for <see cref="RunAsync"/>, which then owns it; whoever does not
    /// hand it over disposes it.</summary>
    public async Task<ICarrierSession> StartCarrierAsync(PreparedBatch batch, CancellationToken cancellationToken)
    {
        var session = await new McpCarrierSessionFactory(batch.Carrier, _secrets).StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // -ValidateAddress on a carrier without the tool is refused before a job exists (E-3011).
            if (batch.Options.ValidateAddress && session is McpCarrierSession mcp)
                mcp.RequireTool(batch.Carrier.ValidateTool, "validate", "-ValidateAddress");
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return session;
    }

    /// <summary>Reads the vault secrets the carrier of a job refers to, on the caller's thread, before
    /// <see cref="RunAsync"/> resumes it on another (a secret reference with no vault access is E-5004).</summary>
    public void LoadCarrierSecrets(string jobId)
    {
        var carrier = CarrierProfiles.Resolve(Store.RequireJob(jobId).Carrier, _moduleRoot, Store.Folder);
        (_secrets ?? CarrierSecrets.None).Load(carrier.Name, carrier.Environment);
    }

    /// <summary><see cref="LoadCarrierSecrets(string)"/> for the jobs of <paramref name="rows"/>, each once.</summary>
    public void LoadCarrierSecrets(IEnumerable<RowRecord> rows)
    {
        foreach (var jobId in rows.Select(r => r.JobId).Distinct(StringComparer.OrdinalIgnoreCase)) LoadCarrierSecrets(jobId);
    }

    // Starts a job's carrier by its profile name, with the vault secrets already loaded on the caller's thread.
    private async Task<ICarrierSession> StartCarrierAsync(string carrier, CancellationToken cancellationToken) =>
        await new McpCarrierSessionFactory(CarrierProfiles.Resolve(carrier, _moduleRoot, Store.Folder), _secrets).StartAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A voider for shipped rows; each job's own carrier (by its profile name) is started when first needed.
    /// The caller disposes it.</summary>
    public ShipmentVoider CreateVoider() => new(Store, StartCarrierAsync);

    /// <summary>Creates the job and returns a stager for its rows. The first row is checked before the job exists, so
    /// that a -KeyProperty it lacks (or a cell too large, a bad column) leaves no job behind.</summary>
    public JobStaging BeginJob(PreparedBatch batch, IReadOnlyList<KeyValuePair<string, string>> firstRow)
    {
        JobStaging.CheckRow(batch, firstRow, 1);
        var job = Store.CreateJob(new NewJob(batch.Request.Name, batch.Template.Name, batch.Template.Source, batch.Carrier.Name,
            batch.Shipper, batch.Request.LabelDirectory, batch.Options));
        return new JobStaging(job, Store.BeginStaging(job.JobId), batch, _settings.CrashAt);
    }

    /// <summary>Renders a row without creating anything: for -WhatIf. Pass the same <paramref name="orders"/> for
    /// every row of one input so that a second row of an order is reported as staging would refuse it.</summary>
    public RowPreview Preview(PreparedBatch batch, IReadOnlyList<KeyValuePair<string, string>> input, long rowNumber, DuplicateOrderCheck? orders = null)
    {
        try
        {
            RowLimits.Check(input, rowNumber);
            input = InputColumns.Check(input, rowNumber);
            var key = batch.NaturalKey(input, rowNumber);
            if (!batch.Options.AllowDuplicate && batch.Options.GroupBy is null) orders?.Add(key, rowNumber, batch.Options.KeyProperty);
            var json = RequestReference.Render(batch.Template, new TemplateInput(rowNumber, input, batch.Shipper, "whatif", batch.Request.Name ?? "", JobIds.Reference("whatif", rowNumber), batch.Options.ColumnMap, batch.Options.LabelFormat), batch.Carrier.LookupTool is not null);
            var shipped = batch.Options.AllowDuplicate ? null : Store.FindLiveShipment(key);
            return new RowPreview(rowNumber, json, null, shipped, NaturalKeys.IsRowHash(key));
        }
        catch (BatchShipException e)
        {
            return new RowPreview(rowNumber, null, e.RowNumber is null ? e.For(null, rowNumber) : e, null);
        }
    }

    /// <summary>Writes the labels of <paramref name="rows"/> into one print file, fetching lost ones again from each
    /// job's carrier (see <see cref="LabelExport"/>).</summary>
    public Task<LabelExportResult> ExportLabelsAsync(IReadOnlyList<RowRecord> rows, string path, PrintFormat print, CancellationToken cancellationToken) =>
        new LabelExport(Store, StartCarrierAsync)
            .WriteAsync(rows, path, print, cancellationToken);

    /// <summary>Rates every row through the carrier's rate tool and buys nothing (-Quote, and the quote a run makes
    /// before it asks or before -MaxTotalCost lets it buy). <paramref name="carrier"/> stays the caller's.
    /// Throws E-4017 when the carrier cannot rate.</summary>
    public Task<BatchQuote> QuoteAsync(PreparedBatch batch, IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> rows, ICarrierSession carrier,
        Action<BatchEvent>? report, Action<RowQuote>? quoted, CancellationToken cancellationToken) =>
        new BatchQuoter(this, _settings, TimeProvider.System).QuoteAsync(batch, rows, carrier, null, report, quoted, cancellationToken);

    /// <summary>Quotes the rows staged so far (before the job is marked fully staged), as <see cref="QuoteAsync"/> does.</summary>
    public Task<BatchQuote> QuoteStagedAsync(PreparedBatch batch, JobStaging staging, ICarrierSession carrier,
        Action<BatchEvent>? report, Action<RowQuote>? quoted, CancellationToken cancellationToken)
    {
        staging.Save();
        var jobId = staging.Job.JobId;
        var rows = Store.GetRows(jobId).OrderBy(r => r.RowNumber).Select(r => r.Input).ToList();
        return new BatchQuoter(this, _settings, TimeProvider.System).QuoteAsync(batch, rows, carrier, jobId, report, quoted, cancellationToken);
    }

    /// <summary>Reads the delivery status of shipped rows from their jobs' carriers and records it on each row.</summary>
    public Task<IReadOnlyList<Tracking.TrackingResult>> TrackAsync(IReadOnlyList<RowRecord> rows, int throttleLimit, CancellationToken cancellationToken) =>
        new Tracking.ShipmentTracking(Store, carrier => CarrierProfiles.Resolve(carrier, _moduleRoot, Store.Folder), _secrets).TrackAsync(rows, throttleLimit, cancellationToken);

    /// <summary>Runs a staged job, or resumes a Failed, Stopped or Interrupted one. <paramref name="carrier"/> is a
    /// session from <see cref="StartCarrierAsync"/>, used (and disposed) by the run; without one the run starts its own.</summary>
    public async Task<JobSummary> RunAsync(string jobId, IReadOnlyList<IBatchObserver> observers, CancellationToken cancellationToken,
        int? throttleLimit = null, double? maxRequestsPerSecond = null, bool retryFailed = false, ICarrierSession? carrier = null)
    {
        McpCarrierSessionFactory factory;
        try
        {
            var job = Store.RequireJob(jobId);
            factory = new McpCarrierSessionFactory(CarrierProfiles.Resolve(job.Carrier, _moduleRoot, Store.Folder), _secrets);
        }
        catch
        {
            if (carrier is not null) await carrier.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return await new BatchExecutor(Store, factory, _settings)
            .RunAsync(jobId, observers, cancellationToken, throttleLimit, maxRequestsPerSecond, retryFailed, carrier).ConfigureAwait(false);
    }
}
