using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Execution;

/// <summary>
/// Writes label files as <c>&lt;job&gt;-&lt;row&gt;-&lt;reference&gt;-&lt;package&gt;.&lt;ext&gt;</c>, so that a person finds an
/// order's labels by its reference and sorts them in row order (the package index keeps two packages apart): to a
/// temp file first, then renamed, so a crash never leaves a half-written file under a finished label's name. The
/// reference comes from row data, so only letters, digits, '-' and '_' of it reach the name. Files are 0600 and
/// folders this writer creates 0700 on Unix: a label carries a name and an address.
/// </summary>
public sealed partial class LabelWriter
{
    /// <summary>The folder in the store where labels are kept when their own folder cannot take them.</summary>
    public const string UnsavedFolderName = BatchStore.UnsavedLabelsFolderName;

    private const string TempSuffix = ".partial";
    private readonly string _directory;

    public LabelWriter(string directory) => _directory = directory;

    /// <summary>The longest part of a label's name taken from the reference: keeps names well inside every file system's limit.</summary>
    public const int MaxReferenceChars = 40;

    /// <summary>Writes every package's label; returns the paths (packages without a label are skipped).
    /// <paramref name="reference"/> is the row's order reference (else its carrier reference); without one the
    /// carrier reference <c>BS-&lt;job&gt;-&lt;row&gt;</c> names the file.</summary>
    public IReadOnlyList<string> Write(string jobId, long rowNumber, IReadOnlyList<ShipmentPackage> packages, string? reference = null)
    {
        var namePart = SafeReference(reference) ?? SafeReference(JobIds.Reference(jobId, rowNumber))!;
        var paths = new List<string>();
        try
        {
            CreatePrivateFolder(_directory);
            for (var index = 0; index < packages.Count; index++)
            {
                var package = packages[index];
                if (package.LabelImage is not { Length: > 0 } image) continue;
                var name = FileName(jobId, rowNumber, namePart, index + 1, package.LabelFormat);
                var final = Path.Combine(_directory, name);
                // The writer's process id in the temp name: cleanup never removes a file a live runner is writing.
                var temp = string.Create(CultureInfo.InvariantCulture, $"{final}.{Environment.ProcessId}{TempSuffix}");
                // No buffer (BufferSize 0): the label is written in one call, so a buffer would only be 80 KB allocated per label.
                var options = new FileStreamOptions
                {
                    Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0, Options = FileOptions.WriteThrough,
                };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using (var stream = new FileStream(temp, options))
                {
                    stream.Write(image);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, final, overwrite: true);
                paths.Add(final);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BatchShipException(ErrorCatalog.FileSystem, $"Could not write the label to {_directory}: {e.Message}", "LabelDirectory", rowNumber, jobId, e);
        }
        return paths;
    }

    /// <summary>
    /// Keeps the labels of a shipment whose own label folder failed in the store's private <see cref="UnsavedFolderName"/>
    /// folder: the shipment is paid for, so its label must survive. <see cref="IsUnsaved"/> recognises these paths, and
    /// <c>Get-BatchShipment -SaveLabel</c> writes them where they belong later.
    /// </summary>
    public static IReadOnlyList<string> KeepUnsaved(string storeFolder, string jobId, long rowNumber, IReadOnlyList<ShipmentPackage> packages, string? reference = null)
    {
        var folder = Path.Combine(storeFolder, UnsavedFolderName);
        CreatePrivateFolder(folder);
        return new LabelWriter(Path.Combine(folder, jobId)).Write(jobId, rowNumber, packages, reference);
    }

    /// <summary>A label's file name: <c>&lt;job&gt;-&lt;row&gt;-&lt;reference&gt;-&lt;package&gt;.&lt;ext&gt;</c>, the reference already made safe.</summary>
    private static string FileName(string jobId, long rowNumber, string safeReference, int package, string? format) =>
        string.Create(CultureInfo.InvariantCulture, $"{jobId}-{rowNumber}-{safeReference}-{package}.{Extension(format)}");

    /// <summary>
    /// The reference as a part of a file name, or null when nothing of it is left: letters and digits (ASCII) and
    /// '-' kept, every other run of characters one '_' (so no path separator, dot, space or control character gets
    /// through, on any file system), at most <see cref="MaxReferenceChars"/> characters.
    /// </summary>
    public static string? SafeReference(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference)) return null;
        var safe = new System.Text.StringBuilder(reference.Length);
        foreach (var c in reference.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '-') safe.Append(c);
            else if (safe.Length > 0 && safe[^1] != '_') safe.Append('_');
        }
        var text = safe.ToString().Trim('_');
        if (text.Length > MaxReferenceChars) text = text[..MaxReferenceChars].TrimEnd('_');
        return text.Length == 0 ? null : text;
    }

    /// <summary>True for a label kept in the store because its own folder could not take it.</summary>
    public static bool IsUnsaved(string path) =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))) == UnsavedFolderName;

    /// <summary>Copies label files into a folder (created private when missing); returns the new paths.</summary>
    public static IReadOnlyList<string> CopyTo(IReadOnlyList<string> paths, string directory)
    {
        try
        {
            CreatePrivateFolder(directory);
            var copies = new List<string>(paths.Count);
            foreach (var path in paths)
            {
                var target = Path.Combine(directory, Path.GetFileName(path));
                File.Copy(path, target, overwrite: true);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                copies.Add(target);
            }
            return copies;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BatchShipException(ErrorCatalog.FileSystem, $"Could not write the labels to {directory}: {e.Message}", "LabelDirectory", inner: e);
        }
    }

    /// <summary>Checks, before anything is bought, that labels can be written to a folder: creates it if needed and
    /// writes and removes a probe file. Throws E-4002 naming the folder.</summary>
    public static void EnsureWritable(string directory)
    {
        var probe = Path.Combine(directory, $".batchship-probe-{Guid.NewGuid():N}");
        try
        {
            CreatePrivateFolder(directory);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new BatchShipException(ErrorCatalog.FileSystem,
                $"Labels cannot be written to {directory}: {e.Message} Choose another -LabelDirectory or fix the folder's permissions; nothing was bought.",
                "LabelDirectory", inner: e);
        }
    }

    /// <summary>
    /// Removes temp files crashed runs left behind (they never became labels). Only this module's own: a name of the
    /// form <c>&lt;job&gt;-&lt;row&gt;-…partial</c>, and never one whose writer (the process id in its name) still runs,
    /// since a label folder may be shared with other jobs and other programs.
    /// </summary>
    public void RemoveLeftovers()
    {
        if (!Directory.Exists(_directory)) return;
        foreach (var file in Directory.EnumerateFiles(_directory, "*" + TempSuffix))
        {
            var match = OwnTempFile().Match(Path.GetFileName(file));
            if (!match.Success) continue;
            if (match.Groups["pid"].Success && int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsRunning(pid))
                continue;
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    internal static string Extension(string? format) => (format ?? "").Trim().ToUpperInvariant() switch
    {
        "GIF" => "gif",
        "PNG" => "png",
        "PDF" => "pdf",
        "ZPL" => "zpl",
        "EPL" => "epl",
        "SPL" => "spl",
        _ => "bin",
    };

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static void CreatePrivateFolder(string folder) => PrivatePaths.CreateFolder(folder);

    // <job id: 8 of [a-z0-9]>-<row>-<reference>-<package>.<ext>[.<pid>].partial; also the older forms (<package>-<tracking>).
    [GeneratedRegex(@"^[a-z0-9]{8}-\d+-[A-Za-z0-9_-]+\.[a-z]{3}(\.(?<pid>\d+))?\.partial$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnTempFile();
}
