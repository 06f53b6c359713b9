using System.Text.Json.Nodes;

namespace BatchShip.SandboxCarrier.Tests.Infrastructure;

/// <summary>Valid UPS request bodies that individual tests bend into the case they need.</summary>
public static class Requests
{
    public const string ShipperNumber = "5R8939";

    public static JsonObject Ship(string reference = "ROW-1", string format = "GIF", int packages = 1) =>
        JsonNode.Parse($$"""
        {
          "ShipmentRequest": {
            "Request": { "RequestOption": "nonvalidate", "TransactionReference": { "CustomerContext": "ctx-{{reference}}" } },
            "Shipment": {
              "Description": "Books",
              "Shipper": { "Name": "Acme Books", "AttentionName": "Shipping", "ShipperNumber": "{{ShipperNumber}}",
                           "Phone": { "Number": "4045550100" },
                           "Address": { "AddressLine": ["1 Peachtree St"], "City": "Atlanta", "StateProvinceCode": "GA", "PostalCode": "30303", "CountryCode": "US" } },
              "ShipTo": { "Name": "Jane Doe", "Phone": { "Number": "2065550100" },
                          "Address": { "AddressLine": ["22 Pike St", "Apt 4"], "City": "Seattle", "StateProvinceCode": "WA", "PostalCode": "98101", "CountryCode": "US" } },
              "PaymentInformation": { "ShipmentCharge": [ { "Type": "01", "BillShipper": { "AccountNumber": "{{ShipperNumber}}" } } ] },
              "Service": { "Code": "03", "Description": "Ground" },
              "Package": [ {{string.Join(",", Enumerable.Range(1, packages).Select(i => Package(i == 1 ? reference : $"{reference}-{i}")))}} ]
            },
            "LabelSpecification": { "LabelImageFormat": { "Code": "{{format}}" }, "LabelStockSize": { "Height": "6", "Width": "4" } }
          }
        }
        """)!.AsObject();

    private static string Package(string reference) => $$"""
        { "Packaging": { "Code": "02" },
          "Dimensions": { "UnitOfMeasurement": { "Code": "IN" }, "Length": "10", "Width": "8", "Height": "4" },
          "PackageWeight": { "UnitOfMeasurement": { "Code": "LBS" }, "Weight": "5" },
          "ReferenceNumber": [ { "Value": "{{reference}}" } ] }
        """;

    public static JsonObject Shipment(JsonObject request) => request["ShipmentRequest"]!["Shipment"]!.AsObject();

    public static JsonObject Rate(string serviceCode = "03") => JsonNode.Parse($$"""
        {
          "RateRequest": {
            "Request": { "TransactionReference": { "CustomerContext": "rate-1" } },
            "Shipment": {
              "Shipper": { "Name": "Acme", "ShipperNumber": "{{ShipperNumber}}",
                           "Address": { "AddressLine": ["1 Peachtree St"], "City": "Atlanta", "StateProvinceCode": "GA", "PostalCode": "30303", "CountryCode": "US" } },
              "ShipTo": { "Name": "Jane", "Address": { "AddressLine": ["22 Pike St"], "City": "Seattle", "StateProvinceCode": "WA", "PostalCode": "98101", "CountryCode": "US" } },
              "Service": { "Code": "{{serviceCode}}" },
              "Package": { "PackagingType": { "Code": "02" },
                           "Dimensions": { "UnitOfMeasurement": { "Code": "IN" }, "Length": "10", "Width": "8", "Height": "4" },
                           "PackageWeight": { "UnitOfMeasurement": { "Code": "LBS" }, "Weight": "5" } }
            }
          }
        }
        """)!.AsObject();
}
