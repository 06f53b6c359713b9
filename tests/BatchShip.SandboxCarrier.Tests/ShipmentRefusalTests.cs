using System.Text.Json.Nodes;
using BatchShip.SandboxCarrier.Ledger;
using BatchShip.SandboxCarrier.Tests.Infrastructure;

namespace BatchShip.SandboxCarrier.Tests;

[Collection(SharedSandboxCollection.Name)]
public sealed class ShipmentRefusalTests(SharedSandbox shared)
{
    private SandboxClient Sandbox => shared.Sandbox;

    public static TheoryData<string, string> Cases => new()
    {
        { "shipper number missing", "120100" },
        { "shipper name missing", "120101" },
        { "ship-to name missing", "120200" },
        { "ship-to name longer than 35", "120200" },
        { "ship-to address line missing", "120202" },
        { "ship-to address line longer than 35", "120202" },
        { "ship-to city missing", "120205" },
        { "ship-to state missing for US", "120206" },
        { "ship-to postal code missing for US", "120207" },
        { "ship-to state missing for CA", "120206" },
        { "ship-to postal code missing for PR", "120207" },
        { "ship-to country missing", "120208" },
        { "ship-to postal code of another state", "120802" },
        { "shipper postal code of another state", "120801" },
        { "unknown service", "120500" },
        { "unknown packaging", "120600" },
        { "zero weight", "120601" },
        { "negative weight", "120601" },
        { "shipment reference on US to US", "120541" },
        { "three package references", "120543" },
        { "invalid characters in ship-to name", "121000" },
        { "invalid characters in a reference", "121000" },
        { "unknown label format", "120702" },
        { "no payment information", "120400" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Invalid_shipments_are_refused_with_the_UPS_code(string problem, string expectedCode)
    {
        var reference = "RF" + Guid.NewGuid().ToString("N")[..10];
        var request = Requests.Ship(reference: reference);
        Break(request, problem);

        var reply = await Sandbox.CreateAsync(request);

        reply.AssertRefused(400, expectedCode);
        Assert.DoesNotContain(ShipmentLedger.ReadAll(Sandbox.LedgerPath), s => s.Created.CustomerContext == "ctx-" + reference);
    }

    [Fact]
    public async Task Every_problem_is_listed_not_only_the_first()
    {
        var request = Requests.Ship();
        Break(request, "ship-to city missing");
        Break(request, "zero weight");

        var reply = await Sandbox.CreateAsync(request);

        Assert.True(reply.IsError);
        Assert.Equal(["120205", "120601"], reply.UpsCodes.ToArray());
    }

    [Fact]
    public async Task A_missing_request_body_is_a_pydantic_style_validation_error()
    {
        var reply = await Sandbox.CallAsync("create_shipment", new Dictionary<string, object?>());
        Assert.True(reply.IsError);
        Assert.Contains("1 validation error for create_shipmentArguments", reply.Text, StringComparison.Ordinal);
        Assert.Contains("request_body", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shipment_reference_is_allowed_when_the_shipment_leaves_the_US()
    {
        var request = Requests.Ship(reference: "INTL-REF");
        var shipment = Requests.Shipment(request);
        var shipTo = shipment["ShipTo"]!["Address"]!.AsObject();
        shipTo["City"] = "Toronto";
        shipTo["StateProvinceCode"] = "ON";
        shipTo["PostalCode"] = "M5V 2T6";
        shipTo["CountryCode"] = "CA";
        shipTo["AddressLine"] = new JsonArray("100 King St W");
        shipment["ShipTo"]!["Phone"] = new JsonObject { ["Number"] = "4165550100" };
        shipment["Service"] = new JsonObject { ["Code"] = "11" };
        shipment["ReferenceNumber"] = new JsonObject { ["Value"] = "PO-77" };

        var reply = await Sandbox.CreateAsync(request);

        Assert.False(reply.IsError, reply.Text);
    }

    [Fact]
    public async Task A_domestic_service_across_a_border_is_refused()
    {
        var request = Requests.Ship();
        var address = Requests.Shipment(request)["ShipTo"]!["Address"]!.AsObject();
        address["StateProvinceCode"] = "ON";
        address["PostalCode"] = "M5V 2T6";
        address["CountryCode"] = "CA";

        var reply = await Sandbox.CreateAsync(request);

        reply.AssertRefused(400, "121210");
    }

    private static void Break(JsonObject request, string problem)
    {
        var shipment = Requests.Shipment(request);
        var shipper = shipment["Shipper"]!.AsObject();
        var shipTo = shipment["ShipTo"]!.AsObject();
        var to = shipTo["Address"]!.AsObject();
        var package = shipment["Package"]![0]!.AsObject();
        switch (problem)
        {
            case "shipper number missing": shipper.Remove("ShipperNumber"); break;
            case "shipper name missing": shipper["Name"] = ""; break;
            case "ship-to name missing": shipTo.Remove("Name"); break;
            case "ship-to name longer than 35": shipTo["Name"] = new string('N', 36); break;
            case "ship-to address line missing": to["AddressLine"] = new JsonArray(); break;
            case "ship-to address line longer than 35": to["AddressLine"] = new JsonArray(new string('A', 36)); break;
            case "ship-to city missing": to.Remove("City"); break;
            case "ship-to state missing for US": to.Remove("StateProvinceCode"); break;
            case "ship-to postal code missing for US": to.Remove("PostalCode"); break;
            case "ship-to state missing for CA":
                to["CountryCode"] = "CA"; to["PostalCode"] = "M5V 2T6"; to.Remove("StateProvinceCode"); break;
            case "ship-to postal code missing for PR":
                to["CountryCode"] = "PR"; to["StateProvinceCode"] = "PR"; to.Remove("PostalCode"); break;
            case "ship-to country missing": to.Remove("CountryCode"); break;
            case "ship-to postal code of another state": to["PostalCode"] = "10001"; break;
            case "shipper postal code of another state": shipper["Address"]!["PostalCode"] = "98101"; break;
            case "unknown service": shipment["Service"] = new JsonObject { ["Code"] = "99" }; break;
            case "unknown packaging": package["Packaging"] = new JsonObject { ["Code"] = "77" }; break;
            case "zero weight": package["PackageWeight"]!["Weight"] = "0"; break;
            case "negative weight": package["PackageWeight"]!["Weight"] = "-2"; break;
            case "shipment reference on US to US": shipment["ReferenceNumber"] = new JsonObject { ["Value"] = "PO-1" }; break;
            case "three package references":
                package["ReferenceNumber"] = new JsonArray(
                    new JsonObject { ["Value"] = "A" }, new JsonObject { ["Value"] = "B" }, new JsonObject { ["Value"] = "C" });
                break;
            case "invalid characters in ship-to name": shipTo["Name"] = "Jane <script>"; break;
            case "invalid characters in a reference": package["ReferenceNumber"] = new JsonObject { ["Value"] = "ROW\u0001" }; break;
            case "unknown label format": request["ShipmentRequest"]!["LabelSpecification"]!["LabelImageFormat"]!["Code"] = "BMP"; break;
            case "no payment information": shipment.Remove("PaymentInformation"); break;
            default: throw new ArgumentOutOfRangeException(nameof(problem), problem, null);
        }
    }
}
