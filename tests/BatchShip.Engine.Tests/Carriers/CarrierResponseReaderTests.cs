using System.Globalization;
using BatchShip.Engine.Carriers;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

public sealed class CarrierResponseReaderTests
{
    [Fact]
    public void Reads_package_results_sent_as_an_array()
    {
        var shipment = CarrierResponseReader.ReadShipment(UpsSamples.Shipment(new[] { UpsSamples.Package("1Z999AA10123456784") }));

        Assert.Equal("1Z999AA10123456784", shipment.ShipmentId);
        var package = Assert.Single(shipment.Packages);
        Assert.Equal("1Z999AA10123456784", package.TrackingNumber);
        Assert.Equal("GIF", package.LabelFormat);
        Assert.Equal(Convert.FromBase64String(UpsSamples.Label1), package.LabelImage);
        Assert.Equal(12.29m, shipment.Cost);
        Assert.Equal("USD", shipment.Currency);
    }

    [Fact]
    public void Reads_package_results_sent_as_a_bare_object()
    {
        var shipment = CarrierResponseReader.ReadShipment(UpsSamples.Shipment(UpsSamples.Package("1Z5R89390357567127", format: "ZPL")));

        var package = Assert.Single(shipment.Packages);
        Assert.Equal("1Z5R89390357567127", package.TrackingNumber);
        Assert.Equal("ZPL", package.LabelFormat);
    }

    [Fact]
    public void Reads_every_package_of_a_multi_package_shipment_in_order()
    {
        var shipment = CarrierResponseReader.ReadShipment(UpsSamples.Shipment(new[]
        {
            UpsSamples.Package("1Z999AA10123456784", UpsSamples.Label1),
            UpsSamples.Package("1Z12345E6605272234", UpsSamples.Label2),
        }));

        Assert.Equal(["1Z999AA10123456784", "1Z12345E6605272234"], shipment.Packages.Select(p => p.TrackingNumber));
        Assert.Equal(Convert.FromBase64String(UpsSamples.Label2), shipment.Packages[1].LabelImage);
    }

    [Fact]
    public void Prefers_the_negotiated_total_over_the_published_one()
    {
        var json = UpsSamples.Shipment(new[] { UpsSamples.Package("1Z999AA10123456784") },
            negotiated: new { TotalCharge = new { CurrencyCode = "USD", MonetaryValue = "9.87" } }, total: "12.29");

        var shipment = CarrierResponseReader.ReadShipment(json);

        Assert.Equal(9.87m, shipment.Cost);
    }

    [Fact]
    public void Reads_money_with_the_invariant_culture_whatever_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            // de-DE reads "1234.50" as 123450 and writes decimals with a comma.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var shipment = CarrierResponseReader.ReadShipment(UpsSamples.Shipment(new[] { UpsSamples.Package("1Z999AA10123456784") }, total: "1234.50"));
            Assert.Equal(1234.50m, shipment.Cost);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Keeps_every_decimal_digit_of_the_charge()
    {
        // A double holds about 15 significant digits; this amount has 16 and survives only as decimal text.
        var shipment = CarrierResponseReader.ReadShipment(UpsSamples.Shipment(new[] { UpsSamples.Package("1Z999AA10123456784") }, total: "12345678901234.01"));
        Assert.Equal(12345678901234.01m, shipment.Cost);
    }

    [Fact]
    public void A_shipment_without_charges_has_no_cost()
    {
        const string json = """{"ShipmentResponse":{"ShipmentResults":{"ShipmentIdentificationNumber":"1Z1","PackageResults":{"TrackingNumber":"1Z1"}}}}""";
        var shipment = CarrierResponseReader.ReadShipment(json);
        Assert.Null(shipment.Cost);
        Assert.Null(shipment.Currency);
        Assert.Null(shipment.Packages[0].LabelImage);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"ShipmentResponse":{"Response":{}}}""")]
    [InlineData("""{"ShipmentResponse":{"ShipmentResults":{"ShipmentIdentificationNumber":"1Z1","PackageResults":[]}}}""")]
    [InlineData("""{"ShipmentResponse":{"ShipmentResults":{"PackageResults":{"TrackingNumber":"1Z1"}}}}""")]
    [InlineData("""{"ShipmentResponse":{"ShipmentResults":{"ShipmentIdentificationNumber":"1Z1","PackageResults":{"ShippingLabel":{}}}}}""")]
    [InlineData("""{"ShipmentResponse":{"ShipmentResults":{"ShipmentIdentificationNumber":"1Z1","PackageResults":{"TrackingNumber":"1Z1","ShippingLabel":{"GraphicImage":"***"}}}}}""")]
    [InlineData("""{"ShipmentResponse":{"ShipmentResults":{"ShipmentIdentificationNumber":"1Z1","PackageResults":{"TrackingNumber":"1Z1"},"ShipmentCharges":{"TotalCharges":{"MonetaryValue":"12,29"}}}}}""")]
    public void Refuses_a_body_it_cannot_read(string json)
    {
        Assert.Throws<CarrierFormatException>(() => CarrierResponseReader.ReadShipment(json));
    }

    [Fact]
    public void Reads_a_label_recovery_answer_with_array_results()
    {
        var json = """
            {"LabelRecoveryResponse":{"Response":{"ResponseStatus":{"Code":"1","Description":"Success"}},
              "ShipmentIdentificationNumber":"1Z999AA10123456784",
              "LabelResults":[{"TrackingNumber":"1Z999AA10123456784","LabelImage":{"LabelImageFormat":{"Code":"GIF"},"GraphicImage":"R0lGODlhAQABAAAAACw="}},
                              {"TrackingNumber":"1Z12345E6605272234","LabelImage":{"LabelImageFormat":{"Code":"GIF"},"GraphicImage":"UEsDBBQ="}}],
              "ShipmentCharges":{"TotalCharges":{"CurrencyCode":"USD","MonetaryValue":"20.10"}}}}
            """;

        var shipment = CarrierResponseReader.ReadLabelRecovery(json);

        Assert.Equal("1Z999AA10123456784", shipment.ShipmentId);
        Assert.Equal(["1Z999AA10123456784", "1Z12345E6605272234"], shipment.Packages.Select(p => p.TrackingNumber));
        Assert.Equal(Convert.FromBase64String(UpsSamples.Label2), shipment.Packages[1].LabelImage);
        Assert.Equal(20.10m, shipment.Cost);
    }

    [Fact]
    public void A_label_recovery_answer_without_shipment_id_uses_the_lead_tracking_number()
    {
        const string json = """{"LabelRecoveryResponse":{"LabelResults":{"TrackingNumber":"1Z5R89390357567127","LabelImage":{"LabelImageFormat":{"Code":"ZPL"},"GraphicImage":"UEsDBBQ="}}}}""";

        var shipment = CarrierResponseReader.ReadLabelRecovery(json);

        Assert.Equal("1Z5R89390357567127", shipment.ShipmentId);
        Assert.Equal("ZPL", shipment.Packages[0].LabelFormat);
        Assert.Null(shipment.Cost);
    }
}
