using System.Runtime.InteropServices;

namespace BatchShip.Cmdlets.Loading;

/// <summary>
/// Finds a native library (e_sqlite3) under <c>dependencies/runtimes/&lt;rid&gt;/native/</c>.
/// PowerShell's own probing does not look there, so the module's load context asks this class.
/// </summary>
public static class NativeLibraryLocator
{
    /// <summary>The runtimes the module folder carries native libraries for.</summary>
    public static IReadOnlyList<string> SupportedRuntimes { get; } = ["linux-x64", "linux-arm64", "osx-x64", "osx-arm64", "win-x64"];

    /// <summary>The runtime id of this process, e.g. <c>linux-x64</c>.</summary>
    public static string CurrentRuntime() => RuntimeId(CurrentOs(), RuntimeInformation.ProcessArchitecture);

    /// <summary>The runtime id for an OS (<c>linux</c>, <c>osx</c>, <c>win</c>) and a processor architecture.</summary>
    public static string RuntimeId(string os, Architecture architecture) => architecture switch
    {
        Architecture.X64 => $"{os}-x64",
        Architecture.Arm64 => $"{os}-arm64",
        _ => $"{os}-{architecture.ToString().ToLowerInvariant()}",
    };

    /// <summary>The full path where a native library should be for a runtime, e.g.
    /// <c>runtimes/linux-x64/native/libe_sqlite3.so</c>; the file may not exist.</summary>
    public static string PathFor(string dependenciesDirectory, string runtimeId, string libraryName)
    {
        var os = runtimeId[..runtimeId.IndexOf('-')];
        var fileName = os switch
        {
            "win" => libraryName + ".dll",
            "osx" => "lib" + libraryName + ".dylib",
            _ => "lib" + libraryName + ".so",
        };
        return Path.Combine(dependenciesDirectory, "runtimes", runtimeId, "native", fileName);
    }

    /// <summary>The library for this process, or null when the module does not carry it.</summary>
    public static string? Find(string dependenciesDirectory, string libraryName)
    {
        // DllImport names may arrive with a prefix or an extension already attached.
        var bare = Path.GetFileNameWithoutExtension(libraryName);
        if (bare.StartsWith("lib", StringComparison.Ordinal)) bare = bare[3..];
        var path = PathFor(dependenciesDirectory, CurrentRuntime(), bare);
        return File.Exists(path) ? path : null;
    }

    private static string CurrentOs() =>
        OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
}
