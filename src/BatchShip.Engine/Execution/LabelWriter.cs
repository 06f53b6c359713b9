using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Execution;

/// <summary>
/// Writes label files as <c>&lt;job&gt;-&lt;row&gt;-&lt;tracking&gt;.&lt;ext&gt;</c>: to a temp file first, then renamed,
/// so a crash never leaves a half-written file under a finished label's name. Names never come from row data.
/// </summary>
public sealed class LabelWriter
{
    private const string TempSuffix = ".partial";
    private readonly string _directory;

    public LabelWriter(string directory) => _directory = directory;

    /// <summary>Writes every package's label; returns the paths (packages without a label are skipped).</summary>
    public IReadOnlyList<string> Write(string jobId, long rowNumber, IReadOnlyList<ShipmentPackage> packages)
    {
        var paths = new List<string>();
        try
        {
            Directory.CreateDirectory(_directory);
            foreach (var package in packages)
            {
                if (package.LabelImage is not { Length: > 0 } image) continue;
                var name = $"{jobId}-{rowNumber}-{Sanitize(package.TrackingNumber)}.{Extension(package.LabelFormat)}";
                var final = Path.Combine(_directory, name);
                var temp = final + TempSuffix;
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.WriteThrough))
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

    /// <summary>Removes temp files a crashed run left behind; they never became labels.</summary>
    public void RemoveLeftovers()
    {
        if (!Directory.Exists(_directory)) return;
        foreach (var file in Directory.EnumerateFiles(_directory, "*" + TempSuffix))
        {
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

    private static string Sanitize(string trackingNumber)
    {
        var clean = new string(trackingNumber.Where(char.IsAsciiLetterOrDigit).ToArray());
        return clean.Length == 0 ? "label" : clean;
    }
}
