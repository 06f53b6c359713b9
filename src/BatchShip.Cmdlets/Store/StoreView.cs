using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Store;

/// <summary>Which store BatchShip uses and why (Get-BatchShipStore, Set-BatchShipStore). Never holds a password.</summary>
public sealed record StoreView(string Kind, string Location, string Source, string Folder, string? SettingPath)
{
    internal static StoreView From(StoreChoice choice, string folder)
    {
        var location = choice.Kind == StoreKind.Postgres
            ? choice.ConnectionString!
            : System.IO.Path.Combine(folder, StoreLocation.DatabaseFileName);
        return new StoreView(KindName(choice.Kind), location, choice.Source.ToString(), folder, choice.SettingPath);
    }

    internal static string KindName(StoreKind kind) => kind == StoreKind.Postgres ? "PostgreSQL" : "SQLite";
}

/// <summary>What Initialize-BatchShipStore did to a store's schema.</summary>
public sealed record StoreInitializationView(string Kind, string Location, string Source, int SchemaVersionBefore, int SchemaVersionAfter, bool Changed);
