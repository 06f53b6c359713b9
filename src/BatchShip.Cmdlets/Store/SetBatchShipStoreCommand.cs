using System.Management.Automation;
using BatchShip.Cmdlets.Errors;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Store;

/// <summary>Chooses the store for this store folder: a PostgreSQL database (written to store.json, never with a
/// password), or back to the SQLite file (-Sqlite removes the setting).</summary>
[Cmdlet(VerbsCommon.Set, "BatchShipStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PostgresSet)]
[OutputType(typeof(StoreView))]
public sealed class SetBatchShipStoreCommand : PSCmdlet
{
    private const string PostgresSet = "Postgres", SqliteSet = "Sqlite";

    /// <summary>The PostgreSQL connection string in keyword form, without a password.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PostgresSet)]
    [ValidateNotNullOrEmpty]
    public string ConnectionString { get; set; } = "";

    /// <summary>Goes back to the SQLite file in the store folder.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SqliteSet)]
    public SwitchParameter Sqlite { get; set; }

    protected override void EndProcessing()
    {
        var folder = ModuleContext.StoreFolder(SessionState.Path);
        try
        {
            if (Sqlite)
            {
                if (ShouldProcess(folder, "Use the SQLite store (remove the store setting)")) StoreChoice.RemoveSetting(folder);
            }
            else
            {
                if (ShouldProcess(folder, $"Use the PostgreSQL {StoreChoice.Describe(ConnectionString)}")) StoreChoice.SaveSetting(folder, ConnectionString);
            }
            if (Environment.GetEnvironmentVariable(StoreChoice.Variable) is { Length: > 0 })
                WriteWarning($"${StoreChoice.Variable} is set in this session; it chooses the store before the setting does.");
            WriteObject(StoreView.From(StoreChoice.Resolve(folder), folder));
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, folder));
        }
    }
}
