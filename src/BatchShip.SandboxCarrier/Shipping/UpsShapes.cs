using System.Globalization;
using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Protocol;

namespace BatchShip.SandboxCarrier.Shipping;

/// <summary>Small UPS JSON fragments used by several responses.</summary>
public static class UpsShapes
{
    public static JsonObject Money(string currency, decimal value) =>
        new() { ["CurrencyCode"] = currency, ["MonetaryValue"] = Json.Money(value) };

    public static JsonObject Money(string currency, string value) =>
        new() { ["CurrencyCode"] = currency, ["MonetaryValue"] = value };

    public static JsonObject Response(string? customerContext)
    {
        var response = new JsonObject
        {
            ["ResponseStatus"] = new JsonObject { ["Code"] = "1", ["Description"] = "Success" },
        };
        if (customerContext is not null)
            response["TransactionReference"] = new JsonObject { ["CustomerContext"] = customerContext };
        return response;
    }

    public static JsonObject Weight(decimal pounds) => new()
    {
        ["UnitOfMeasurement"] = new JsonObject { ["Code"] = "LBS", ["Description"] = "Pounds" },
        ["Weight"] = pounds.ToString("0.0", CultureInfo.InvariantCulture),
    };

    /// <summary>Older API versions collapse a one-element list into a bare object.</summary>
    public static JsonNode ListFor(int version, IReadOnlyList<JsonNode> items, int arraysFrom) =>
        version < arraysFrom && items.Count == 1 ? items[0] : Json.Array(items);

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
