using System.Globalization;
using System.Management.Automation;
using BatchShip.Engine.Input;
using BatchShip.Engine.Quotes;

namespace BatchShip.Cmdlets.Output;

/// <summary>
/// What -Quote learns of a row, as PowerShell shows it: the input columns (so a quote lines up with the input in one
/// spreadsheet), then QuoteStatus (Quoted, AlreadyShipped or Invalid), the service, cost, currency and business days
/// in transit the carrier quoted, and for a row that could not be quoted the E-code and the reason. The total rides on
/// the Information stream (<see cref="Total"/>), so the pipeline carries one shape for Export-Csv.
/// </summary>
internal static class ShipmentQuoteView
{
    public const string TypeName = "BatchShip.ShipmentQuote";
    public const string TotalTypeName = "BatchShip.ShipmentQuoteTotal";

    public static PSObject From(RowQuote quote)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, TypeName);
        foreach (var (name, value) in quote.Input)
        {
            if (string.IsNullOrWhiteSpace(name)) continue;
            var column = InputColumns.OutputName(name);
            if (o.Properties[column] is null) o.Properties.Add(new PSNoteProperty(column, value));
        }
        void Add(string name, object? value) => o.Properties.Add(new PSNoteProperty(name, value));
        Add("RowNumber", quote.RowNumber);
        Add("QuoteStatus", quote.Error is not null ? "Invalid" : quote.AlreadyShippedBy is not null ? "AlreadyShipped" : "Quoted");
        Add("ServiceCode", quote.Rate?.ServiceCode);
        Add("Service", quote.Rate?.ServiceName);
        Add("Cost", quote.Rate?.Cost);
        Add("Currency", quote.Rate?.Currency);
        Add("BusinessDaysInTransit", quote.Rate?.BusinessDaysInTransit);
        Add("AlreadyShippedBy", quote.AlreadyShippedBy);
        Add("ErrorCode", quote.Error?.Error.Code);
        Add("ErrorMessage", quote.Error?.Message);
        return o;
    }

    /// <summary>The batch's total, shown as <paramref name="text"/> on the console while a script reads its properties
    /// (-InformationVariable).</summary>
    public static PSObject Total(BatchQuote quote, string text)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, TotalTypeName);
        void Add(string name, object? value) => o.Properties.Add(new PSNoteProperty(name, value));
        Add("Rows", (long)quote.Rows.Count);
        Add("Quoted", quote.Quoted);
        Add("WouldShip", quote.WouldShip);
        Add("AlreadyShipped", quote.AlreadyShipped);
        Add("Failed", quote.Failed);
        // One currency in nearly every batch: then TotalCost and Currency are plain values; Totals has them all.
        Add("TotalCost", quote.Totals.Count == 1 ? quote.Totals[0].Amount : quote.Totals.Count == 0 ? 0m : null);
        Add("Currency", quote.Totals.Count == 1 ? quote.Totals[0].Currency : null);
        Add("Totals", quote.Totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Amount:0.00} {t.Currency}")).ToArray());
        Add(TextProperty, text);
        o.Methods.Add(new PSCodeMethod("ToString", typeof(ShipmentQuoteView).GetMethod(nameof(Text))!));
        return o;
    }

    private const string TextProperty = "Summary";

    /// <summary>The code behind the ToString of <see cref="Total"/>; public only because PowerShell calls it.</summary>
    public static string Text(PSObject instance) => instance.Properties[TextProperty]?.Value as string ?? "";
}
