using System.Globalization;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>
/// The commercial invoice of a shipment that crosses a customs border (UPS <c>InternationalForms</c>, FormType 01,
/// one product), made from a row's invoice columns. A shipment within the US and Puerto Rico needs none; one that
/// crosses a border without these columns is refused (E-2018) before anything is sent, since the carrier would refuse
/// it anyway (matt-hans/ups-mcp: STRUCTURAL_FIELDS_REQUIRED).
/// </summary>
internal static class CustomsInvoice
{
    public const string Description = "InvoiceDescription";
    public const string Quantity = "InvoiceQuantity";
    public const string UnitValue = "InvoiceValue";
    public const string Currency = "InvoiceCurrency";
    public const string OriginCountry = "OriginCountry";
    public const string HsCode = "HSCode";
    public const string InvoiceDate = "InvoiceDate";

    private static readonly string[] RequiredColumns = [Description, Quantity, UnitValue, Currency];
    private static readonly string[] Domestic = ["US", "PR"];

    /// <summary>True when a shipment from <paramref name="from"/> to <paramref name="to"/> crosses a customs border.</summary>
    public static bool Needed(string? to, string? from)
    {
        var destination = string.IsNullOrWhiteSpace(to) ? "US" : to.Trim().ToUpperInvariant();
        var origin = string.IsNullOrWhiteSpace(from) ? "US" : from.Trim().ToUpperInvariant();
        if (destination == origin) return false;
        return !(Domestic.Contains(destination) && Domestic.Contains(origin));
    }

    /// <summary>The invoice's values (keys description, quantity, value, currency, origin, hs_code, date), or null when
    /// the shipment needs none. <paramref name="read"/> gives a column's trimmed value, "" when absent.</summary>
    public static IReadOnlyDictionary<string, string>? For(string? to, string? from, Func<string, string> read, long rowNumber, DateTimeOffset today)
    {
        if (!Needed(to, from)) return null;
        var missing = RequiredColumns.Where(c => read(c).Length == 0).ToList();
        if (missing.Count > 0)
            throw new BatchShipException(ErrorCatalog.CustomsInvoiceMissing,
                $"Row {rowNumber} ships to {to} from {from}, which needs a commercial invoice; the ups-ground template makes it from the columns "
                + $"{string.Join(", ", RequiredColumns)} (and {OriginCountry}, {HsCode}, {InvoiceDate} when given), and the row has no {string.Join(", ", missing)}. Nothing was sent.",
                missing[0], rowNumber);

        var quantityText = read(Quantity);
        if (!int.TryParse(quantityText, NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) || quantity is < 1 or > 999_999)
            throw Bad(rowNumber, Quantity, quantityText, "a whole number of units from 1 to 999999");
        var valueText = read(UnitValue);
        if (!decimal.TryParse(valueText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0 || decimal.Round(value, 2) != value)
            throw Bad(rowNumber, UnitValue, valueText, "the value of one unit, above zero, with at most two decimals after a point (e.g. 24.50)");
        var currency = read(Currency).ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            throw Bad(rowNumber, Currency, read(Currency), "a three-letter currency code such as USD or CAD");
        var hs = read(HsCode).Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hs.Length > 0 && (hs.Length is < 6 or > 10 || !hs.All(char.IsAsciiDigit)))
            throw Bad(rowNumber, HsCode, read(HsCode), "an HS code of 6 to 10 digits (dots allowed, e.g. 6109.10)");
        string origin;
        try { origin = read(OriginCountry) is { Length: > 0 } o ? CountryCodes.Normalize(o) : from!.Trim().ToUpperInvariant(); }
        catch (BatchShipException e) { throw Bad(rowNumber, OriginCountry, read(OriginCountry), e.Message); }
        string date;
        try { date = read(InvoiceDate) is { Length: > 0 } d ? Dates.ToYyyyMmDd(d) : today.ToString("yyyyMMdd", CultureInfo.InvariantCulture); }
        catch (BatchShipException e) { throw Bad(rowNumber, InvoiceDate, read(InvoiceDate), e.Message); }

        return new Dictionary<string, string>
        {
            ["description"] = TextFit.Truncate(read(Description), TextFit.FieldLength),
            ["quantity"] = quantity.ToString(CultureInfo.InvariantCulture),
            ["value"] = value.ToString("0.00", CultureInfo.InvariantCulture),
            ["currency"] = currency,
            ["origin"] = origin,
            ["hs_code"] = hs,
            ["date"] = date,
        };
    }

    private static BatchShipException Bad(long rowNumber, string column, string value, string expected) =>
        new(ErrorCatalog.BadValue, $"Row {rowNumber}, column '{column}': {ValueError.Quote(value)} is not {expected}.", column, rowNumber);
}
