using BatchShip.Cmdlets.Loading;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets;

/// <summary>Opens the engine for one cmdlet call: the per-user store and the module's own folder.</summary>
internal static class ModuleContext
{
    /// <summary>The engine over an open store; the caller disposes the store.</summary>
    public static BatchService Service(BatchStore store) => new(store, ModuleInitializer.ModuleRoot);
}
