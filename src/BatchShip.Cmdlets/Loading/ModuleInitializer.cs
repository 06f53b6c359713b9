using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace BatchShip.Cmdlets.Loading;

/// <summary>
/// Runs when PowerShell imports the module: teaches the default load context to find the engine
/// in the module's own context. Only <c>BatchShip.Engine</c> is resolved this way; everything the
/// engine needs is then loaded by <see cref="ModuleLoadContext"/> itself.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string EngineAssembly = "BatchShip.Engine";

    // The module initializer is the one place allowed static state: one load context per process,
    // kept across Import-Module -Force so the engine is never loaded twice.
    private static readonly object Gate = new();
    private static ModuleLoadContext? s_context;
    private static bool s_hooked;

    /// <summary>The folder the module was imported from.</summary>
    internal static string ModuleRoot { get; } = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    public void OnImport()
    {
        lock (Gate)
        {
            s_context ??= new ModuleLoadContext(
                Path.Combine(ModuleRoot, "dependencies"),
                Path.GetDirectoryName(typeof(PSObject).Assembly.Location)!);
            if (!s_hooked)
            {
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
                s_hooked = true;
            }
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            if (s_hooked)
            {
                AssemblyLoadContext.Default.Resolving -= ResolveEngine;
                s_hooked = false;
            }
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name) =>
        name.Name == EngineAssembly ? s_context?.LoadFromAssemblyName(name) : null;
}
