using System.Globalization;
using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Pricing;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Tracking;
using BatchShip.SandboxCarrier.Validation;

namespace BatchShip.SandboxCarrier.Shipping;

/// <summary>A shipment the ship endpoint made: its ledger record, its price and its label format.</summary>
public sealed record ShippedShipment(LedgerRecord Record, Quote Quote, string Format);

/// <summary>
/// The UPS ship endpoint (POST /shipments/v2409/ship) as the sandbox plays it. Every server shape ends here: matt-hans
/// passes the client's UPS body through, the TypeScript servers build one from their friendly arguments, as the real
/// servers do before they call UPS.
/// </summary>
public sealed class UpsShipApi(ShipmentLedger ledger, FaultInjector faults, TimeProvider time, IProcessControl process)
{
    /// <summary>Validates the shipment as UPS does, prices it, records it in the ledger, then applies the faults that
    /// strike after a shipment exists (crash, hang, an error instead of the answer).</summary>
    public async Task<ShippedShipment> ShipAsync(ShipmentSpec spec, CancellationToken cancellationToken)
    {
        ShipmentValidator.Validate(spec, ValidationMode.Ship);
        var service = ServiceCatalog.Find(spec.ServiceCode)!;
        var quote = PriceModel.Price(spec, service);
        var format = LabelFormats.Normalize(spec.LabelFormat)!;

        faults.BeforeCreate();

        // The shipment becomes real here: it is on disk before anyone hears about it.
        var entry = await ledger.AppendShipmentAsync(
            sequence => BuildRecord(spec, quote, format, sequence), cancellationToken).ConfigureAwait(false);

        switch (faults.AfterCreate())
        {
            case AfterCreate.Crash:
                process.Crash();
                break;
            case AfterCreate.Hang:
                await process.HangAsync(cancellationToken).ConfigureAwait(false);
                break;
            case AfterCreate.Error:
                // A 500 without a code proves nothing either way: the client must look the reference up.
                throw new CarrierErrorException(CarrierError.Single(500, ErrorCodes.ShippingUnavailable, "Internal server error"));
        }

        return new ShippedShipment(entry.Created, quote, format);
    }

    /// <summary>UPS's ShipmentResponse for a shipment made, with its labels inline.</summary>
    public static JsonObject ShipmentResponse(ShippedShipment shipped, int version)
    {
        var (record, quote, format) = shipped;
        var currency = quote.Currency;
        var labels = LabelFactory.Render(record, format);
        var packageResults = labels.Select((label, i) => (JsonNode)new JsonObject
        {
            ["TrackingNumber"] = label.TrackingNumber,
            ["BaseServiceCharge"] = UpsShapes.Money(currency, quote.Packages[i].Charge),
            ["ServiceOptionsCharges"] = UpsShapes.Money(currency, 0m),
            ["ShippingLabel"] = new JsonObject
            {
                ["ImageFormat"] = new JsonObject { ["Code"] = format, ["Description"] = format },
                ["GraphicImage"] = Convert.ToBase64String(label.Image),
            },
        }).ToList();

        return new JsonObject
        {
            ["ShipmentResponse"] = new JsonObject
            {
                ["Response"] = UpsShapes.Response(record.CustomerContext),
                ["ShipmentResults"] = new JsonObject
                {
                    ["ShipmentCharges"] = new JsonObject
                    {
                        ["TransportationCharges"] = UpsShapes.Money(currency, quote.TransportationCharges),
                        ["ServiceOptionsCharges"] = UpsShapes.Money(currency, quote.ServiceOptionsCharges),
                        ["TotalCharges"] = UpsShapes.Money(currency, quote.TotalCharges),
                    },
                    ["NegotiatedRateCharges"] = new JsonObject
                    {
                        ["TotalCharge"] = UpsShapes.Money(currency, quote.NegotiatedTotal),
                    },
                    ["BillingWeight"] = UpsShapes.Weight(quote.BillableWeight),
                    ["ShipmentIdentificationNumber"] = record.ShipmentId,
                    ["PackageResults"] = UpsShapes.ListFor(version, packageResults, ApiVersion.ArraysAlways),
                },
            },
        };
    }

    private LedgerRecord BuildRecord(ShipmentSpec spec, Quote quote, string format, long sequence)
    {
        var shipperNumber = spec.Shipper.ShipperNumber!.Trim().ToUpperInvariant();
        var tracking = Enumerable.Range(0, spec.Packages.Count)
            .Select(i => TrackingNumber.Create(shipperNumber, quote.Service.TrackingIndicator, sequence + i))
            .ToList();
        var packageReferences = spec.Packages.Select(p => (IReadOnlyList<string>)p.References.ToList()).ToList();
        return new LedgerRecord
        {
            Type = LedgerRecord.CreateType,
            ShipmentId = tracking[0],
            At = UpsShapes.Timestamp(time.GetUtcNow()),
            TrackingNumbers = tracking,
            References = packageReferences.SelectMany(r => r).Concat(spec.ShipmentReferences).Distinct().ToList(),
            PackageReferences = packageReferences,
            PackageWeights = spec.Packages.Select(WeightText).ToList(),
            CustomerContext = spec.CustomerContext,
            Cost = Json.Money(quote.NegotiatedTotal),
            PublishedCost = Json.Money(quote.TotalCharges),
            TransportationCharges = Json.Money(quote.TransportationCharges),
            ServiceOptionsCharges = Json.Money(quote.ServiceOptionsCharges),
            BillingWeight = quote.BillableWeight.ToString("0.0", CultureInfo.InvariantCulture),
            Currency = quote.Currency,
            ShipperNumber = shipperNumber,
            ServiceCode = quote.Service.Code,
            ServiceName = quote.Service.Name,
            LabelFormat = format,
            Sequence = sequence,
            ShipTo = LabelFactory.ToLabelAddress(spec.ShipTo),
            ShipFrom = LabelFactory.ToLabelAddress(spec.ShipFrom ?? spec.Shipper),
        };
    }

    private static string WeightText(PackageSpec package) =>
        $"{package.Weight?.Trim()} {(package.WeightUnit ?? "LBS").ToUpperInvariant()}";
}
