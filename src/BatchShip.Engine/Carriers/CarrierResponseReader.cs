using System.Text.Json;
using System.Text.RegularExpressions;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Reads the UPS success bodies a carrier returns: a ship response and a label recovery response. The values taken
/// from them land in result CSVs that people open in spreadsheets, so only plain values count: tracking numbers and
/// shipment ids of 1 to 35 letters and digits, a three-letter currency, a cost that is a finite amount of at least
/// zero. Anything else (a formula such as <c>=HYPERLINK(...)</c>, a <c>;</c> that would split a tracking list) is a
/// <see cref="CarrierFormatException"/>: not a success, so the executor settles the row by reference or hands it to
/// a person.
/// </summary>
public static partial class CarrierResponseReader
{
    /// <summary>Reads a <c>ShipmentResponse</c> (or its bare content). A body without a shipment id or tracking number is a <see cref="CarrierFormatException"/>.</summary>
    public static CreatedShipment ReadShipment(string json, long maxLabelBytes = CarrierProfile.DefaultMaxLabelBytes)
    {
        using var doc = Parse(json);
        var root = doc.RootElement;
        var response = root.Prop("ShipmentResponse") ?? root;
        var results = response.Prop("ShipmentResults")
            ?? throw new CarrierFormatException("The carrier's answer has no ShipmentResults.");

        var packages = results.Prop("PackageResults").Items().Select(p => ReadPackage(p, "ShippingLabel", "ImageFormat", maxLabelBytes)).ToArray();
        if (packages.Length == 0) throw new CarrierFormatException("The carrier's answer has no PackageResults.");

        var shipmentId = results.Prop("ShipmentIdentificationNumber").Text();
        if (string.IsNullOrWhiteSpace(shipmentId)) throw new CarrierFormatException("The carrier's answer has no ShipmentIdentificationNumber.");
        RequirePlainId(shipmentId, "shipment id");

        var (cost, currency) = ReadCost(results);
        return new CreatedShipment(shipmentId, packages, cost, currency);
    }

    /// <summary>Reads a <c>LabelRecoveryResponse</c>. Its shipment id is optional in UPS's schema; the lead package's
    /// tracking number stands in for it, because for UPS the two are the same number.</summary>
    public static CreatedShipment ReadLabelRecovery(string json, long maxLabelBytes = CarrierProfile.DefaultMaxLabelBytes)
    {
        using var doc = Parse(json);
        var root = doc.RootElement;
        var response = root.Prop("LabelRecoveryResponse") ?? root;

        var packages = response.Prop("LabelResults").Items().Select(p => ReadPackage(p, "LabelImage", "LabelImageFormat", maxLabelBytes)).ToArray();
        if (packages.Length == 0) throw new CarrierFormatException("The carrier's label recovery answer has no LabelResults.");

        var shipmentId = response.Prop("ShipmentIdentificationNumber").Text();
        if (string.IsNullOrWhiteSpace(shipmentId)) shipmentId = packages[0].TrackingNumber;
        RequirePlainId(shipmentId, "shipment id");

        var (cost, currency) = ReadCost(response.Prop("ShipmentResults") ?? response);
        var echoed = response.Path("Response", "TransactionReference", "CustomerContext").Text();
        return new CreatedShipment(shipmentId, packages, cost, currency) { EchoedReference = string.IsNullOrWhiteSpace(echoed) ? null : echoed.Trim() };
    }

    /// <summary>Reads a <c>RateResponse</c> (or its bare content) for one service: the first rated shipment. A body
    /// without a cost and currency is a <see cref="CarrierFormatException"/>: a quote without a price is no quote.</summary>
    public static RatedShipment ReadRate(string json)
    {
        using var doc = Parse(json);
        var root = doc.RootElement;
        var response = root.Prop("RateResponse") ?? root;
        var rated = response.Prop("RatedShipment").Items().FirstOrDefault();
        if (rated.ValueKind != JsonValueKind.Object) throw new CarrierFormatException("The carrier's rate answer has no RatedShipment.");
        var (cost, currency) = ReadCost(rated);
        if (cost is null || string.IsNullOrWhiteSpace(currency)) throw new CarrierFormatException("The carrier's rate answer has no total charge with a currency.");
        var days = rated.Path("GuaranteedDelivery", "BusinessDaysInTransit").Text()
            ?? rated.Path("TimeInTransit", "ServiceSummary", "EstimatedArrival", "BusinessDaysInTransit").Text();
        int? transit = int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
        var code = rated.Path("Service", "Code").Text();
        var name = rated.Path("Service", "Description").Text();
        return new RatedShipment(Plain(code), Plain(name), cost.Value, currency, transit);
    }

    // A service code or name lands in a CSV too: kept only when it is plain text of a sensible length.
    private static string? Plain(string? value) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 60 || value.TrimStart()[0] is '=' or '+' or '-' or '@' ? null : value.Trim();

    private static ShipmentPackage ReadPackage(JsonElement package, string labelName, string formatName, long maxLabelBytes)
    {
        var tracking = package.Prop("TrackingNumber").Text();
        if (string.IsNullOrWhiteSpace(tracking)) throw new CarrierFormatException("A package in the carrier's answer has no TrackingNumber.");
        RequirePlainId(tracking, "tracking number");

        var label = package.Prop(labelName);
        var format = label?.Path(formatName, "Code").Text();
        var image = label?.Prop("GraphicImage").Text();
        byte[]? bytes = null;
        if (!string.IsNullOrEmpty(image))
        {
            // Checked before decoding: a label is kept in memory and written whole, so its size is what the host pays.
            var decoded = image.Length / 4L * 3;
            if (decoded > maxLabelBytes)
                throw new CarrierFormatException(
                    $"The label of package {tracking} is {decoded} bytes, more than the limit of {BoundedLineStream.Megabytes(maxLabelBytes)} (maxLabelMegabytes in the carrier's profile).");
            try { bytes = Convert.FromBase64String(image); }
            catch (FormatException ex) { throw new CarrierFormatException($"The label of package {tracking} is not valid base64.", ex); }
        }
        return new ShipmentPackage(tracking, format, bytes);
    }

    // The negotiated total is what the account actually pays; the published total is the fallback.
    private static (decimal? Cost, string? Currency) ReadCost(JsonElement results)
    {
        // A ship answer carries its totals under ShipmentCharges, a rated shipment directly.
        foreach (var charge in new[] { results.Path("NegotiatedRateCharges", "TotalCharge"), results.Path("ShipmentCharges", "TotalCharges"), results.Prop("TotalCharges") })
        {
            var value = charge?.Prop("MonetaryValue").Text();
            if (string.IsNullOrWhiteSpace(value)) continue;
            decimal cost;
            try { cost = CarrierJson.ParseMoney(value); }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                throw new CarrierFormatException($"The carrier's charge '{Shorten(value)}' is not an amount of money.", ex);
            }
            if (cost < 0) throw new CarrierFormatException($"The carrier's charge '{Shorten(value)}' is below zero.");
            var currency = charge?.Prop("CurrencyCode").Text();
            if (currency is not null && !Currency().IsMatch(currency))
                throw new CarrierFormatException($"The carrier's currency '{Shorten(currency)}' is not a three-letter currency code.");
            return (cost, currency);
        }
        return (null, null);
    }

    private static JsonDocument Parse(string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException ex) { throw new CarrierFormatException("The carrier's answer is not JSON.", ex); }
    }

    private static void RequirePlainId(string value, string what)
    {
        if (!PlainId().IsMatch(value))
            throw new CarrierFormatException($"The carrier's {what} '{Shorten(value)}' is not 1 to 35 letters and digits.");
    }

    // Messages quote the carrier's value so a person can recognise it, but never at length.
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";

    [GeneratedRegex("^[A-Za-z0-9]{1,35}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainId();

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Currency();
}
