namespace BatchShip.Engine.Tests.Carriers;

/// <summary>A valid UPS ShipmentRequest as create_shipment arguments: US to US, Ground, one package carrying the reference.</summary>
internal static class ShipRequests
{
    public static string Ground(string reference, string shipperNumber = SandboxCarrierProcess.ShipperNumber) => $$$"""
        {
          "request_body": {
            "ShipmentRequest": {
              "Request": { "RequestOption": "nonvalidate", "TransactionReference": { "CustomerContext": "{{{reference}}}" } },
              "Shipment": {
                "Description": "Books",
                "Shipper": {
                  "Name": "BatchShip Books", "AttentionName": "Shipping Desk", "ShipperNumber": "{{{shipperNumber}}}",
                  "Phone": { "Number": "2125550100" },
                  "Address": { "AddressLine": ["350 5th Ave"], "City": "New York", "StateProvinceCode": "NY", "PostalCode": "10118", "CountryCode": "US" }
                },
                "ShipTo": {
                  "Name": "Jane Doe", "AttentionName": "Jane Doe",
                  "Phone": { "Number": "4155550100" },
                  "Address": { "AddressLine": ["1 Market St"], "City": "San Francisco", "StateProvinceCode": "CA", "PostalCode": "94105", "CountryCode": "US" }
                },
                "ShipFrom": {
                  "Name": "BatchShip Books", "AttentionName": "Shipping Desk",
                  "Phone": { "Number": "2125550100" },
                  "Address": { "AddressLine": ["350 5th Ave"], "City": "New York", "StateProvinceCode": "NY", "PostalCode": "10118", "CountryCode": "US" }
                },
                "PaymentInformation": { "ShipmentCharge": [ { "Type": "01", "BillShipper": { "AccountNumber": "{{{shipperNumber}}}" } } ] },
                "Service": { "Code": "03", "Description": "Ground" },
                "Package": [ {
                  "Packaging": { "Code": "02" },
                  "Dimensions": { "UnitOfMeasurement": { "Code": "IN" }, "Length": "10", "Width": "8", "Height": "4" },
                  "PackageWeight": { "UnitOfMeasurement": { "Code": "LBS" }, "Weight": "5" },
                  "ReferenceNumber": [ { "Value": "{{{reference}}}" } ]
                } ]
              },
              "LabelSpecification": { "LabelImageFormat": { "Code": "GIF" }, "LabelStockSize": { "Height": "6", "Width": "4" } }
            }
          }
        }
        """;
}
