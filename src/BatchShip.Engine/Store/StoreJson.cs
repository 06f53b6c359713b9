using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchShip.Engine.Store;

/// <summary>How the store writes its JSON columns: stable, enums by name.</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };
}
