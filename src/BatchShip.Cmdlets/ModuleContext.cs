using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BatchShip.Cmdlets.Loading;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets;

/// <summary>Opens the engine for one cmdlet call: the per-user store and the module's own folder.</summary>
internal static class ModuleContext
{
    /// <summary>Opens the per-user store; the caller disposes it.</summary>
    public static BatchStore OpenStore(PSCmdlet cmdlet) => BatchStore.Open(StoreFolder(cmdlet.SessionState.Path));

    /// <summary>
    /// The store folder, with a relative BATCHSHIP_HOME resolved like every path given to a cmdlet: against PowerShell's
    /// current location (Set-Location moves it; the process's directory stays where pwsh started).
    /// </summary>
    public static string StoreFolder(PathIntrinsics path) => StoreLocation.ResolveFolder(home =>
    {
        var fileSystem = path.CurrentFileSystemLocation.ProviderPath;
        try
        {
            var resolved = path.GetUnresolvedProviderPathFromPSPath(home, out var provider, out _);
            return provider.Name == "FileSystem" ? resolved : System.IO.Path.GetFullPath(home, fileSystem);
        }
        catch (Exception e) when (e is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or NotSupportedException or PSArgumentException)
        {
            return System.IO.Path.GetFullPath(home, fileSystem);
        }
    });

    /// <summary>The store folder for a completer, which has no cmdlet: PowerShell's location when the runspace is at
    /// hand, else the process's directory.</summary>
    public static string StoreFolderForCompletion()
    {
        try
        {
            if (Runspace.DefaultRunspace?.SessionStateProxy?.Path is { } path) return StoreFolder(path);
        }
        catch (Exception e) when (e is PSInvalidOperationException or InvalidOperationException)
        {
            // The runspace is busy on another thread: fall through.
        }
        return StoreLocation.ResolveFolder();
    }

    /// <summary>The engine over an open store; the caller disposes the store.</summary>
    public static BatchService Service(BatchStore store) => new(store, ModuleInitializer.ModuleRoot);

    /// <summary>The engine over an open store, reading the vault secrets a carrier profile refers to through the
    /// cmdlet's runspace; the caller disposes the store.</summary>
    public static BatchService Service(BatchStore store, PSCmdlet cmdlet) =>
        new(store, ModuleInitializer.ModuleRoot, secrets: Carriers.VaultSecrets.For(cmdlet));
}
