using System.Globalization;
using System.Text.Json;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Reads the answer of the UPS Track API (<c>trackResponse.shipment[0].package[0]</c>): the package's current status,
/// and when it was delivered (its delivery activity's GMT time, else the DEL delivery date and time).
/// </summary>
public static class TrackResponseReader
{
    /// <summary>Classifies a tracking tool's result from its error flag and text.</summary>
    public static TrackOutcome Read(bool isError, string text)
    {
        if (isError || CarrierErrorReader.LooksLikeError(text))
            return new TrackOutcome.Failed(CarrierErrorTranslation.ToException(CarrierErrorReader.Read(text), "The carrier could not track the package"));

        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException) { return Unreadable("it is not JSON"); }
        using (doc)
        {
            var shipments = doc.RootElement.Path("trackResponse", "shipment").Items().ToList();
            var packages = shipments.Count == 0 ? [] : shipments[0].Prop("package").Items().ToList();
            if (packages.Count == 0 || packages[0].ValueKind != JsonValueKind.Object)
            {
                var warning = shipments.Count == 0 ? null
                    : shipments[0].Prop("warnings").Items().Select(w => w.Prop("message").Text()).FirstOrDefault(m => m is not null);
                return new TrackOutcome.Failed(new BatchShipException(ErrorCatalog.TrackingFailed,
                    $"The carrier has no tracking for the package{(warning is null ? "" : $": {warning}")}."));
            }
            var found = packages[0];
            var current = found.Prop("currentStatus");
            var status = current?.Prop("simplifiedTextDescription").Text() is { Length: > 0 } simple ? simple : current?.Prop("description").Text();
            if (string.IsNullOrWhiteSpace(status)) return Unreadable("the package has no currentStatus");
            var delivered = current?.Prop("type").Text() == "D" ? DeliveredAt(found) : null;
            return new TrackOutcome.Tracked(status.Trim(), delivered);
        }
    }

    private static TrackOutcome.Failed Unreadable(string why) =>
        new(new BatchShipException(ErrorCatalog.TrackingFailed, $"The carrier's tracking answer cannot be read: {why}."));

    // The delivery scan's GMT time is exact; the DEL date and time are the destination's local time, whose offset
    // UPS does not give, so they are read as UTC (off by the destination's offset at most).
    private static DateTimeOffset? DeliveredAt(JsonElement package)
    {
        foreach (var activity in package.Prop("activity").Items())
        {
            if (activity.Path("status", "type").Text() != "D") continue;
            if (Parse(activity.Prop("gmtDate").Text(), activity.Prop("gmtTime").Text()?.Replace(":", "", StringComparison.Ordinal)) is { } gmt)
                return gmt;
        }
        var dates = package.Prop("deliveryDate").Items().Where(d => d.Prop("type").Text() == "DEL").ToList();
        var time = package.Prop("deliveryTime") is { } t && t.Prop("type").Text() == "DEL" ? t.Prop("endTime").Text() : null;
        return dates.Count > 0 ? Parse(dates[0].Prop("date").Text(), time) : null;
    }

    private static DateTimeOffset? Parse(string? date, string? time) =>
        DateTimeOffset.TryParseExact($"{date}{(string.IsNullOrEmpty(time) ? "000000" : time)}", "yyyyMMddHHmmss",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
}
