using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Labels;

/// <summary>What an export wrote, and the rows whose labels it could not get (each an E-4018 naming the row).</summary>
/// <param name="Path">The print file, or null when no label at all could be got.</param>
/// <param name="Labels">How many labels the file holds (PDF pages, ZPL blocks).</param>
public sealed record LabelExportResult(string? Path, int Labels, IReadOnlyList<BatchShipException> Problems);

/// <summary>
/// Puts the labels of shipped rows into one print file, in the order the rows are given. A label whose file is gone,
/// that a row never got (settled by a lookup that returned none), or whose format the print file cannot hold is
/// fetched again from the row's carrier by its reference; only the shipment the row recorded is accepted.
/// </summary>
public sealed class LabelExport(BatchStore store, Func<string, CancellationToken, Task<ICarrierSession>> startCarrier)
{
    /// <summary>Writes the print file (0600 on Unix, through a temp file) and returns what it holds.</summary>
    public async Task<LabelExportResult> WriteAsync(IReadOnlyList<RowRecord> rows, string path, PrintFormat print, CancellationToken cancellationToken)
    {
        var labels = new List<PrintLabel>();
        var problems = new List<BatchShipException>();
        var sessions = new Dictionary<string, ICarrierSession>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    labels.AddRange(await LabelsOfAsync(row, print, sessions, cancellationToken).ConfigureAwait(false));
                }
                catch (BatchShipException e)
                {
                    problems.Add(e);
                }
            }
        }
        finally
        {
            foreach (var session in sessions.Values) await session.DisposeAsync().ConfigureAwait(false);
        }
        if (labels.Count == 0) return new LabelExportResult(null, 0, problems);
        Save(labels, print, path);
        return new LabelExportResult(path, labels.Count, problems);
    }

    private async Task<IReadOnlyList<PrintLabel>> LabelsOfAsync(RowRecord row, PrintFormat print,
        Dictionary<string, ICarrierSession> sessions, CancellationToken cancellationToken)
    {
        if (row.Status != RowStatus.Completed)
            throw Unavailable(row, $"it is {row.Status}, not Completed: only a row this job shipped has labels of its own");

        var onDisk = row.LabelPaths
            .Select(p => (Path: p, Format: FormatOf(p)))
            .ToList();
        if (onDisk.Count >= Math.Max(1, row.TrackingNumbers.Count) && onDisk.All(l => File.Exists(l.Path) && PrintFile.Fits(l.Format, print)))
        {
            var labels = onDisk.Select(l => new PrintLabel(File.ReadAllBytes(l.Path), l.Format)).ToList();
            if (labels.All(l => PrintFile.CanPlace(l.Image, l.Format))) return labels;
        }

        return await RecoverAsync(row, print, sessions, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<PrintLabel>> RecoverAsync(RowRecord row, PrintFormat print,
        Dictionary<string, ICarrierSession> sessions, CancellationToken cancellationToken)
    {
        var job = store.RequireJob(row.JobId);
        if (!sessions.TryGetValue(job.Carrier, out var session))
        {
            try { session = await startCarrier(job.Carrier, cancellationToken).ConfigureAwait(false); }
            catch (BatchShipException e) { throw Unavailable(row, $"its label file is missing and carrier '{job.Carrier}' could not be asked again: {e.Message}"); }
            sessions[job.Carrier] = session;
        }

        var format = PrintFile.CarrierFormat(print);
        var shipperNumber = job.Shipper.TryGetValue("ShipperNumber", out var number) ? number : "";
        LookupOutcome outcome;
        try { outcome = await session.RecoverLabelsAsync(row.Reference, shipperNumber, format, cancellationToken).ConfigureAwait(false); }
        catch (NotSupportedException) { throw Unavailable(row, $"its label file is missing and carrier '{job.Carrier}' cannot recover labels"); }

        if (outcome is not LookupOutcome.Found found)
        {
            var why = outcome is LookupOutcome.Unavailable u ? u.Reason : "it has no shipment with the row's reference";
            throw Unavailable(row, $"its label file is missing and carrier '{job.Carrier}' did not return it again: {why}");
        }
        // Only the shipment this row recorded: a lookup that answers with another one must not print its label here.
        var packages = found.Shipment.Packages
            .Where(p => row.TrackingNumbers.Contains(p.TrackingNumber, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (packages.Count == 0 || packages.Count < row.TrackingNumbers.Count || packages.Any(p => p.LabelImage is not { Length: > 0 }))
            throw Unavailable(row, $"its label file is missing and carrier '{job.Carrier}' returned no label for its tracking number(s) {string.Join(", ", row.TrackingNumbers)}");
        return packages.Select(p => new PrintLabel(p.LabelImage!, p.LabelFormat ?? format)).ToList();
    }

    private static void Save(IReadOnlyList<PrintLabel> labels, PrintFormat print, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        var temp = $"{path}.{Environment.ProcessId}.partial";
        try
        {
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder)) PrivatePaths.CreateFolder(folder);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            // A label carries a name and an address: the print file is as private as the labels.
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                PrintFile.Write(labels, print, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new BatchShipException(ErrorCatalog.LabelUnavailable, $"A label could not be read into the print file {path}: {e.Message}", "LabelPath", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new BatchShipException(ErrorCatalog.FileSystem, $"Could not write the print file {path}: {e.Message}", "Path", inner: e);
        }
    }

    private static string FormatOf(string path) => Path.GetExtension(path).TrimStart('.').ToUpperInvariant();

    private static BatchShipException Unavailable(RowRecord row, string why) =>
        new(ErrorCatalog.LabelUnavailable, $"Row {row.RowNumber} of job {row.JobId} ({row.Reference}) is not in the print file: {why}.",
            "LabelPath", row.RowNumber, row.JobId);
}
