using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Tests.Infrastructure;
using BatchShip.SandboxCarrier.Tracking;

namespace BatchShip.SandboxCarrier.Tests;

[Collection(SharedSandboxCollection.Name)]
public sealed class ShipmentCreationTests(SharedSandbox shared)
{
    private SandboxClient Sandbox => shared.Sandbox;

    private static string UniqueReference() => "R" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Tools_are_listed_with_input_schemas()
    {
        var tools = await Sandbox.Client.ListToolsAsync();
        var byName = tools.ToDictionary(t => t.Name);
        Assert.Equal(
            new[] { "create_shipment", "rate_shipment", "recover_label", "track_package", "validate_address", "void_shipment" },
            byName.Keys.Order(StringComparer.Ordinal).ToArray());
        var create = byName["create_shipment"].JsonSchema;
        Assert.Equal("object", create.GetProperty("properties").GetProperty("request_body").GetProperty("type").GetString());
        Assert.Equal("request_body", create.GetProperty("required")[0].GetString());
        var validate = byName["validate_address"].JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(new[] { "addressLine1", "politicalDivision1", "politicalDivision2", "zipPrimary", "countryCode" }, validate);
    }

    [Fact]
    public async Task A_shipment_is_created_priced_echoed_and_written_to_the_ledger()
    {
        var reference = UniqueReference();
        var reply = await Sandbox.CreateAsync(Requests.Ship(reference));

        var response = reply.Ok["ShipmentResponse"]!;
        Assert.Equal("1", (string)response["Response"]!["ResponseStatus"]!["Code"]!);
        Assert.Equal("ctx-" + reference, (string)response["Response"]!["TransactionReference"]!["CustomerContext"]!);
        var results = response["ShipmentResults"]!;
        var id = (string)results["ShipmentIdentificationNumber"]!;
        Assert.True(TrackingNumber.IsValid(id));
        Assert.StartsWith("1Z" + Requests.ShipperNumber + "03", id, StringComparison.Ordinal);

        var total = (string)results["ShipmentCharges"]!["TotalCharges"]!["MonetaryValue"]!;
        var negotiated = (string)results["NegotiatedRateCharges"]!["TotalCharge"]!["MonetaryValue"]!;
        Assert.Matches(@"^\d+\.\d{2}$", total);
        Assert.True(decimal.Parse(negotiated, CultureInfo.InvariantCulture) < decimal.Parse(total, CultureInfo.InvariantCulture));
        Assert.Equal("USD", (string)results["ShipmentCharges"]!["TotalCharges"]!["CurrencyCode"]!);

        var entry = Assert.Single(ShipmentLedger.ReadAll(Sandbox.LedgerPath), s => s.ShipmentId == id);
        Assert.Equal([reference], entry.References);
        Assert.Equal("ctx-" + reference, entry.Created.CustomerContext);
        Assert.Equal(negotiated, entry.Created.Cost);
        Assert.False(entry.Voided);
    }

    [Fact]
    public async Task The_same_request_is_priced_the_same_every_time()
    {
        static string Total(ToolReply r) => (string)r.Ok["ShipmentResponse"]!["ShipmentResults"]!["ShipmentCharges"]!["TotalCharges"]!["MonetaryValue"]!;
        var first = await Sandbox.CreateAsync(Requests.Ship(UniqueReference()));
        var second = await Sandbox.CreateAsync(Requests.Ship(UniqueReference()));
        Assert.Equal(Total(first), Total(second));
    }

    [Fact]
    public async Task Package_and_ShipmentCharge_may_be_single_objects()
    {
        var request = Requests.Ship(UniqueReference());
        var shipment = Requests.Shipment(request);
        shipment["Package"] = shipment["Package"]![0]!.DeepClone();
        shipment["PaymentInformation"]!["ShipmentCharge"] = shipment["PaymentInformation"]!["ShipmentCharge"]![0]!.DeepClone();

        var reply = await Sandbox.CreateAsync(request);

        var packages = reply.Ok["ShipmentResponse"]!["ShipmentResults"]!["PackageResults"]!.AsArray();
        Assert.Single(packages);
    }

    [Fact]
    public async Task Older_api_versions_return_a_lone_package_result_as_an_object()
    {
        var reply = await Sandbox.CallAsync("create_shipment", new Dictionary<string, object?>
        {
            ["request_body"] = SandboxClient.ToElement(Requests.Ship(UniqueReference())),
            ["version"] = "v2205",
        });
        Assert.IsType<JsonObject>(reply.Ok["ShipmentResponse"]!["ShipmentResults"]!["PackageResults"]);
    }

    [Theory]
    [InlineData("GIF")]
    [InlineData("PNG")]
    [InlineData("PDF")]
    [InlineData("ZPL")]
    public async Task Multi_package_shipments_get_unique_numbers_and_one_real_label_each(string format)
    {
        var reply = await Sandbox.CreateAsync(Requests.Ship(UniqueReference(), format, packages: 3));

        var results = reply.Ok["ShipmentResponse"]!["ShipmentResults"]!;
        var packages = results["PackageResults"]!.AsArray();
        Assert.Equal(3, packages.Count);
        var numbers = packages.Select(p => (string)p!["TrackingNumber"]!).ToList();
        Assert.Equal(3, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.True(TrackingNumber.IsValid(n), n));
        Assert.Equal(numbers[0], (string)results["ShipmentIdentificationNumber"]!);

        foreach (var package in packages)
        {
            Assert.Equal(format, (string)package!["ShippingLabel"]!["ImageFormat"]!["Code"]!);
            var image = Convert.FromBase64String((string)package["ShippingLabel"]!["GraphicImage"]!);
            AssertLabel(format, image, (string)package["TrackingNumber"]!);
        }
    }

    private static void AssertLabel(string format, byte[] image, string trackingNumber)
    {
        switch (format)
        {
            case "GIF":
                var gif = ImageDecoders.DecodeGif(image);
                Assert.Equal((400, 600), (gif.Width, gif.Height));
                Assert.InRange(gif.InkPixels, 5_000, 200_000);
                break;
            case "PNG":
                var png = ImageDecoders.DecodePng(image);
                Assert.Equal((400, 600), (png.Width, png.Height));
                Assert.InRange(png.InkPixels, 5_000, 200_000);
                break;
            case "PDF":
                var pdf = Encoding.Latin1.GetString(image);
                Assert.StartsWith("%PDF", pdf, StringComparison.Ordinal);
                Assert.EndsWith("%%EOF\n", pdf, StringComparison.Ordinal);
                Assert.Contains("(Jane Doe)", pdf, StringComparison.Ordinal);
                Assert.Contains("(Seattle WA 98101)", pdf, StringComparison.Ordinal);
                Assert.Contains(trackingNumber[..2] + " " + trackingNumber[2..5], pdf, StringComparison.Ordinal);
                break;
            case "ZPL":
                var zpl = Encoding.UTF8.GetString(image);
                Assert.StartsWith("^XA", zpl, StringComparison.Ordinal);
                Assert.Contains("^FDJane Doe^FS", zpl, StringComparison.Ordinal);
                Assert.Contains("^FD22 Pike St^FS", zpl, StringComparison.Ordinal);
                Assert.Contains("^FD" + trackingNumber + "^FS", zpl, StringComparison.Ordinal);
                Assert.EndsWith("^XZ\n", zpl, StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public async Task Concurrent_calls_get_distinct_tracking_numbers()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Sandbox.CreateAsync(Requests.Ship(UniqueReference(), packages: 2))));
        var numbers = replies.SelectMany(r => r.Ok["ShipmentResponse"]!["ShipmentResults"]!["PackageResults"]!.AsArray())
            .Select(p => (string)p!["TrackingNumber"]!).ToList();
        Assert.Equal(16, numbers.Distinct().Count());
    }
}
