using System.Globalization;
using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Pricing;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;
using BatchShip.SandboxCarrier.Validation;
using ModelContextProtocol.Protocol;

namespace BatchShip.SandboxCarrier.Tools;

/// <summary>Prices with the same model as create_shipment: "Rate" for the requested service, "Shop" for all that serve the lane.</summary>
public sealed class RateShipmentTool : ISandboxTool
{
    public const string Name = "rate_shipment";
    private static readonly string[] Options = ["Rate", "Shop", "Ratetimeintransit", "Shoptimeintransit"];

    public Tool Definition { get; } = new ToolSchema(Name, "Rate a shipment (Rate) or compare all services (Shop). request_body is a UPS RateRequest.")
        .String("requestoption", "Requestoption", required: true, oneOf: Options)
        .Object("request_body", "Request Body")
        .String("version", "Version", ApiVersion.DefaultShipping)
        .Build();

    public Task<JsonNode> InvokeAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var option = arguments.RequiredString("requestoption");
        var canonical = Options.FirstOrDefault(o => string.Equals(o, option, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentValidationException(Name, "requestoption",
                "Input should be 'Rate', 'Shop', 'Ratetimeintransit' or 'Shoptimeintransit'", "literal_error");
        var body = arguments.RequiredObject("request_body");
        var version = ApiVersion.Number(arguments.OptionalString("version"));
        var shop = canonical.StartsWith("Shop", StringComparison.Ordinal);
        var withTransit = canonical.EndsWith("timeintransit", StringComparison.Ordinal);

        var spec = ShipmentRequestReader.ReadRateRequest(body);
        ShipmentValidator.Validate(spec, shop ? ValidationMode.Shop : ValidationMode.Rate);

        var services = shop
            ? ServiceCatalog.All.Where(s => ServiceCatalog.Serves(s, spec.Origin.CountryCode, spec.ShipTo.Address.CountryCode)).ToList()
            : [ServiceCatalog.Find(spec.ServiceCode)!];

        var rated = services.Select(s => (JsonNode)Rated(PriceModel.Price(spec, s), withTransit)).ToList();
        JsonNode result = new JsonObject
        {
            ["RateResponse"] = new JsonObject
            {
                ["Response"] = UpsShapes.Response(spec.CustomerContext),
                // From v2409 RatedShipment is always an array.
                ["RatedShipment"] = UpsShapes.ListFor(version, rated, 2409),
            },
        };
        return Task.FromResult(result);
    }

    private static JsonObject Rated(Quote quote, bool withTransit)
    {
        var currency = quote.Currency;
        var rated = new JsonObject
        {
            ["Service"] = new JsonObject { ["Code"] = quote.Service.Code, ["Description"] = quote.Service.Name },
            ["Zone"] = quote.Zone.ToString(CultureInfo.InvariantCulture),
            ["BillingWeight"] = UpsShapes.Weight(quote.BillableWeight),
            ["TransportationCharges"] = UpsShapes.Money(currency, quote.TransportationCharges),
            ["ServiceOptionsCharges"] = UpsShapes.Money(currency, quote.ServiceOptionsCharges),
            ["TotalCharges"] = UpsShapes.Money(currency, quote.TotalCharges),
            ["NegotiatedRateCharges"] = new JsonObject { ["TotalCharge"] = UpsShapes.Money(currency, quote.NegotiatedTotal) },
            ["GuaranteedDelivery"] = new JsonObject { ["BusinessDaysInTransit"] = quote.TransitDays.ToString(CultureInfo.InvariantCulture) },
            ["RatedPackage"] = Json.Array(quote.Packages.Select(p => (JsonNode?)new JsonObject
            {
                ["TransportationCharges"] = UpsShapes.Money(currency, p.Charge),
                ["ServiceOptionsCharges"] = UpsShapes.Money(currency, 0m),
                ["TotalCharges"] = UpsShapes.Money(currency, p.Charge),
                ["BillingWeight"] = UpsShapes.Weight(p.BillableWeight),
            })),
        };
        if (withTransit)
        {
            rated["TimeInTransit"] = new JsonObject
            {
                ["ServiceSummary"] = new JsonObject
                {
                    ["Service"] = new JsonObject { ["Description"] = quote.Service.Name },
                    ["EstimatedArrival"] = new JsonObject
                    {
                        ["BusinessDaysInTransit"] = quote.TransitDays.ToString(CultureInfo.InvariantCulture),
                    },
                },
            };
        }
        return rated;
    }
}
