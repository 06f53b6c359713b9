using System.Runtime.InteropServices;

namespace BatchShip.Engine.Carriers;

/// <summary>Finds the <c>dotnet</c> executable that starts framework-dependent servers such as the sandbox carrier.</summary>
public static class DotnetHost
{
    /// <summary>The host's file name on this platform.</summary>
    public static string ExecutableName { get; } = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    /// <summary>The host running this process's runtime, found from the real environment.</summary>
    public static string Locate() =>
        Locate(Environment.GetEnvironmentVariable, RuntimeEnvironment.GetRuntimeDirectory(), File.Exists);

    /// <summary>
    /// <c>DOTNET_HOST_PATH</c> when it names an existing file (the SDK and test hosts set it); else the host three
    /// levels above the runtime directory (<c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>), because
    /// PowerShell may run on a runtime that is not on PATH; else plain <c>dotnet</c>, resolved through PATH.
    /// </summary>
    public static string Locate(Func<string, string?> getVariable, string runtimeDirectory, Func<string, bool> fileExists)
    {
        var fromVariable = getVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrWhiteSpace(fromVariable) && fileExists(fromVariable)) return fromVariable;

        if (!string.IsNullOrWhiteSpace(runtimeDirectory))
        {
            var dir = new DirectoryInfo(Path.TrimEndingDirectorySeparator(runtimeDirectory));
            var root = dir.Parent?.Parent?.Parent;
            if (root is not null)
            {
                var candidate = Path.Combine(root.FullName, ExecutableName);
                if (fileExists(candidate)) return candidate;
            }
        }

        return ExecutableName;
    }
}
