using System.Management.Automation;
using BatchShip.Cmdlets.Errors;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Store;

/// <summary>Creates or migrates the schema of the store in use, or of the PostgreSQL store a connection string names.
/// Idempotent: a store already at this module's schema is left as it is.</summary>
[Cmdlet(VerbsData.Initialize, "BatchShipStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StoreInitializationView))]
public sealed class InitializeBatchShipStoreCommand : PSCmdlet
{
    /// <summary>A PostgreSQL connection string in keyword form, without a password; the store in use when left out.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? ConnectionString { get; set; }

    protected override void EndProcessing()
    {
        var folder = ModuleContext.StoreFolder(SessionState.Path);
        try
        {
            var choice = ConnectionString is null ? StoreChoice.Resolve(folder) : StoreChoice.Given(ConnectionString);
            var target = choice.Kind == StoreKind.Postgres ? choice.ConnectionString! : folder;
            if (!ShouldProcess(target, $"Create or migrate the {StoreView.KindName(choice.Kind)} store's schema")) return;
            var done = BatchStore.Initialize(folder, ConnectionString);
            WriteObject(new StoreInitializationView(StoreView.KindName(done.Kind), done.Location, done.Source.ToString(),
                done.VersionBefore, done.VersionAfter, done.VersionBefore != done.VersionAfter));
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, ConnectionString ?? folder));
        }
    }
}
