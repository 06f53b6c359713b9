using System.Reflection;
using System.Runtime.Loader;

namespace BatchShip.Cmdlets.Loading;

/// <summary>
/// The module's own load context. The engine and every package it uses load here from
/// <c>dependencies/</c>, so another module that loaded a different version of, say,
/// Microsoft.Extensions.Logging.Abstractions first cannot break BatchShip, nor BatchShip it.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private readonly string _dependencies;
    private readonly string _psHome;

    public ModuleLoadContext(string dependenciesDirectory, string psHome)
        : base("BatchShip", isCollectible: false)
    {
        _dependencies = dependenciesDirectory;
        _psHome = psHome;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var candidate = Path.Combine(_dependencies, assemblyName.Name + ".dll");
        if (!File.Exists(candidate)) return null; // framework and PowerShell assemblies come from the default context

        // An assembly identical to the one PowerShell ships is handed back to the default context:
        // two copies of one identity would only cost memory and make types unequal for nothing.
        var shipped = Path.Combine(_psHome, assemblyName.Name + ".dll");
        if (File.Exists(shipped) && SameVersion(shipped, candidate)) return null;

        return LoadFromAssemblyPath(candidate);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = NativeLibraryLocator.Find(_dependencies, unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private static bool SameVersion(string a, string b)
    {
        try
        {
            return AssemblyName.GetAssemblyName(a).Version == AssemblyName.GetAssemblyName(b).Version;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
