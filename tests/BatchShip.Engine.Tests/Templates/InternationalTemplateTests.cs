using System.Text.Json;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Templates;
using Xunit;

namespace BatchShip.Engine.Tests.Templates;

/// <summary>The built-in template's commercial invoice: made from the Invoice* columns for a row that crosses a
/// customs border, refused (E-2018) without them, absent for the US and Puerto Rico.</summary>
public sealed class InternationalTemplateTests
{
    private static readonly ShipmentTemplate Ground = TemplateLibrary.Load("ups-ground", TemplateKit.BuiltInDirectory);

    private static readonly (string, string)[] Canada =
    [
        ("RecipientName", "Jean Tremblay"), ("Address1", "100 Rue Sherbrooke"), ("City", "Montreal"), ("State", "QC"),
        ("PostalCode", "h2x 1c4"), ("Country", "CA"), ("WeightLb", "2"), ("Service", "Standard"), ("Reference", "CA-1"),
    ];

    private static readonly (string, string)[] Invoice =
    [
        ("InvoiceDescription", "Cotton T-shirts"), ("InvoiceQuantity", "3"), ("InvoiceValue", "12.5"), ("InvoiceCurrency", "usd"),
        ("OriginCountry", "Portugal"), ("HSCode", "6109.10"), ("InvoiceDate", "2025-03-04"),
    ];

    private static JsonElement Shipment(params (string, string)[] row)
    {
        using var doc = JsonDocument.Parse(Ground.Render(TemplateKit.Input(3, row)));
        return doc.RootElement.GetProperty("request_body").GetProperty("ShipmentRequest").GetProperty("Shipment").Clone();
    }

    [Fact]
    public void A_row_abroad_with_invoice_columns_carries_a_commercial_invoice()
    {
        var forms = Shipment([.. Canada, .. Invoice]).GetProperty("ShipmentServiceOptions").GetProperty("InternationalForms");

        Assert.Equal("01", forms.GetProperty("FormType").GetString());
        Assert.Equal("USD", forms.GetProperty("CurrencyCode").GetString());
        Assert.Equal("20250304", forms.GetProperty("InvoiceDate").GetString());
        Assert.Equal("Montreal", forms.GetProperty("Contacts").GetProperty("SoldTo").GetProperty("Address").GetProperty("City").GetString());
        var product = Assert.Single(forms.GetProperty("Product").EnumerateArray());
        Assert.Equal("Cotton T-shirts", product.GetProperty("Description")[0].GetString());
        Assert.Equal("3", product.GetProperty("Unit").GetProperty("Number").GetString());
        Assert.Equal("12.50", product.GetProperty("Unit").GetProperty("Value").GetString());
        Assert.Equal("610910", product.GetProperty("CommodityCode").GetString());
        Assert.Equal("PT", product.GetProperty("OriginCountryCode").GetString());
    }

    [Fact]
    public void A_row_abroad_without_invoice_columns_is_refused_naming_the_missing_ones()
    {
        var e = Assert.Throws<BatchShipException>(() => Shipment([.. Canada, ("InvoiceDescription", "Books")]));

        Assert.Equal(ErrorCatalog.CustomsInvoiceMissing, e.Error);
        Assert.Equal(3, e.RowNumber);
        Assert.Equal("InvoiceQuantity", e.Field);
        Assert.Contains("InvoiceQuantity, InvoiceValue, InvoiceCurrency", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ground_to_Canada_is_still_refused_for_its_service_first()
    {
        var e = Assert.Throws<BatchShipException>(() => Shipment([.. Canada.Where(c => c.Item1 != "Service"), .. Invoice]));
        Assert.Equal(ErrorCatalog.ServiceNotOffered, e.Error);
    }

    [Fact]
    public void A_domestic_row_has_no_invoice_even_with_invoice_columns()
    {
        var shipment = Shipment(("RecipientName", "Ann"), ("Address1", "1 Main St"), ("City", "Boston"), ("State", "MA"),
            ("PostalCode", "02134"), ("WeightLb", "1"), ("InvoiceDescription", "Books"));
        Assert.False(shipment.TryGetProperty("ShipmentServiceOptions", out _));
    }

    [Theory]
    [InlineData("InvoiceQuantity", "2.5")]
    [InlineData("InvoiceValue", "12,50")]
    [InlineData("InvoiceValue", "0")]
    [InlineData("InvoiceCurrency", "dollars")]
    [InlineData("HSCode", "61A9")]
    public void A_bad_invoice_value_names_its_column(string column, string value)
    {
        var row = Canada.Concat(Invoice.Select(c => c.Item1 == column ? (column, value) : c)).ToArray();
        var e = Assert.Throws<BatchShipException>(() => Shipment(row));
        Assert.Equal(ErrorCatalog.BadValue, e.Error);
        Assert.Equal(column, e.Field);
    }

    [Theory]
    [InlineData("US", "US", false)]
    [InlineData("PR", "US", false)]
    [InlineData("US", "PR", false)]
    [InlineData("CA", "US", true)]
    [InlineData("US", "CA", true)]
    [InlineData("", "US", false)]
    public void Only_a_customs_border_needs_an_invoice(string to, string from, bool needed) =>
        Assert.Equal(needed, CustomsInvoice.Needed(to, from));
}
