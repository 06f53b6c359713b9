using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Input;

/// <summary>The files a batch is given (-Path, a -Shipper JSON file): one place says which is missing and which
/// cannot be read.</summary>
public static class InputFile
{
    /// <summary>Throws E-4014, naming the parameter and the path, when the file does not exist (or is a folder).</summary>
    public static void RequireExists(string path, string parameter)
    {
        if (!File.Exists(path)) throw NotFound(path, parameter);
    }

    /// <summary>The file's text; a missing file is E-4014, one that cannot be read E-4002.</summary>
    public static string ReadAllText(string path, string parameter)
    {
        RequireExists(path, parameter);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, parameter, e);
        }
    }

    /// <summary>The error for a file that is not there.</summary>
    public static BatchShipException NotFound(string path, string parameter) =>
        new(ErrorCatalog.FileNotFound, $"The -{parameter} file {path} was not found.", parameter);

    /// <summary>The error for a file that is there but cannot be read.</summary>
    public static BatchShipException Unreadable(string path, string parameter, Exception e) =>
        e is FileNotFoundException or DirectoryNotFoundException
            ? NotFound(path, parameter)
            : new(ErrorCatalog.FileSystem, $"Cannot read the -{parameter} file {path}: {e.Message}", parameter, inner: e);
}
