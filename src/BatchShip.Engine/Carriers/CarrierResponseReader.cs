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

    /// <summary>Reads ShipAgent's answer to <c>shipping_create</c>:
    /// <c>{"success": true, "trackingNumbers": [...], "labelPaths": [...], "totalCharges": {"currencyCode", "monetaryValue"},
    /// "shipmentIdentificationNumber": "..."}</c>. The labels are files the server wrote on its own disk (the same
    /// machine, since it runs over stdio); the n-th path is the n-th tracking number's label, read here and held to the
    /// same limit as a label sent inline.</summary>
    public static CreatedShipment ReadShipAgentShipment(string json, long maxLabelBytes = CarrierProfile.DefaultMaxLabelBytes)
    {
        using var doc = Parse(json);
        var root = doc.RootElement;
        if (root.Prop("success") is not { ValueKind: JsonValueKind.True })
            throw new CarrierFormatException("The carrier's answer does not say \"success\": true.");

        var trackingNumbers = root.Prop("trackingNumbers").Items().Select(t => ((JsonElement?)t).Text()).ToArray();
        if (trackingNumbers.Length == 0) throw new CarrierFormatException("The carrier's answer has no trackingNumbers.");
        var labelPaths = root.Prop("labelPaths").Items().Select(p => ((JsonElement?)p).Text()).ToArray();

        var packages = new ShipmentPackage[trackingNumbers.Length];
        for (var i = 0; i < trackingNumbers.Length; i++)
        {
            var tracking = trackingNumbers[i];
            if (string.IsNullOrWhiteSpace(tracking)) throw new CarrierFormatException("A tracking number in the carrier's answer is empty.");
            RequirePlainId(tracking, "tracking number");
            var path = i < labelPaths.Length ? labelPaths[i] : null;
            packages[i] = string.IsNullOrWhiteSpace(path)
                ? new ShipmentPackage(tracking, null, null)
                : new ShipmentPackage(tracking, LabelFormatOf(path), ReadLabelFile(path, tracking, maxLabelBytes));
        }

        var shipmentId = root.Prop("shipmentIdentificationNumber").Text();
        if (string.IsNullOrWhiteSpace(shipmentId)) shipmentId = packages[0].TrackingNumber;
        RequirePlainId(shipmentId, "shipment id");

        var (cost, currency) = ReadCost(root, "totalCharges");
        return new CreatedShipment(shipmentId, packages, cost, currency);
    }

    // The label as the server left it on disk, never more than the limit (checked on the file's length, then on what
    // was read, since the file may grow between the two).
    private static byte[] ReadLabelFile(string path, string tracking, long maxLabelBytes)
    {
        if (!System.IO.Path.IsPathFullyQualified(path))
            throw new CarrierFormatException($"The label path of package {tracking} is not a full path.");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (file.Length > maxLabelBytes)
                throw new CarrierFormatException(
                    $"The label of package {tracking} is {file.Length} bytes, more than the limit of {BoundedLineStream.Megabytes(maxLabelBytes)} (maxLabelMegabytes in the carrier's profile).");
            var buffer = new byte[file.Length];
            file.ReadExactly(buffer);
            return buffer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CarrierFormatException($"The label file of package {tracking} cannot be read: {ex.Message}", ex);
        }
    }

    private static string? LabelFormatOf(string path) =>
        System.IO.Path.GetExtension(path).TrimStart('.').ToUpperInvariant() switch
        {
            "" => null,
            var ext => ext,
        };

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
    private static (decimal? Cost, string? Currency) ReadCost(JsonElement results) =>
        // A ship answer carries its totals under ShipmentCharges, a rated shipment directly.
        ReadCost(results.Path("NegotiatedRateCharges", "TotalCharge"), results.Path("ShipmentCharges", "TotalCharges"), results.Prop("TotalCharges"));

    private static (decimal? Cost, string? Currency) ReadCost(JsonElement root, string chargeProperty) => ReadCost(root.Prop(chargeProperty));

    private static (decimal? Cost, string? Currency) ReadCost(params JsonElement?[] charges)
    {
        foreach (var charge in charges)
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
