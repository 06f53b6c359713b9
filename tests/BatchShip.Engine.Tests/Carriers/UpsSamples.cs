using System.Text.Json;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>Canned UPS-shaped carrier answers for the reader and classifier tests.</summary>
internal static class UpsSamples
{
    public const string Label1 = "R0lGODlhAQABAAAAACw="; // a few bytes of GIF header, base64
    public const string Label2 = "UEsDBBQ=";

    public static string Shipment(object packageResults, object? negotiated = null, string total = "12.29", string currency = "USD") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["ShipmentResponse"] = new Dictionary<string, object?>
            {
                ["Response"] = new { ResponseStatus = new { Code = "1", Description = "Success" } },
                ["ShipmentResults"] = new Dictionary<string, object?>
                {
                    ["ShipmentIdentificationNumber"] = "1Z999AA10123456784",
                    ["ShipmentCharges"] = new { TotalCharges = new { CurrencyCode = currency, MonetaryValue = total } },
                    ["NegotiatedRateCharges"] = negotiated,
                    ["PackageResults"] = packageResults,
                },
            },
        });

    public static object Package(string tracking, string image = Label1, string format = "GIF") =>
        new { TrackingNumber = tracking, ShippingLabel = new { ImageFormat = new { Code = format }, GraphicImage = image } };

    public static string PythonError(string tool, int status, string code, string message, string? upsCode = null, string? upsMessage = null)
    {
        var body = new Dictionary<string, object?> { ["status_code"] = status, ["code"] = code, ["message"] = message };
        if (upsCode is not null)
            body["details"] = new { response = new { errors = new[] { new { code = upsCode, message = upsMessage ?? message } } } };
        return $"Error executing tool {tool}: {JsonSerializer.Serialize(body)}";
    }
}
