using BatchShip.SandboxCarrier.Protocol;

namespace BatchShip.SandboxCarrier.Validation;

/// <summary>The error codes and wording that depend on which party an address belongs to.</summary>
public sealed record PartyRole(
    string Label,
    string Name,
    string AddressLine,
    string City,
    string State,
    string PostalCode,
    string Country,
    string Phone,
    string AddressValidation)
{
    public static readonly PartyRole Shipper = new("Shipper", ErrorCodes.ShipperName, ErrorCodes.ShipperAddressLine,
        ErrorCodes.ShipperCity, ErrorCodes.ShipperState, ErrorCodes.ShipperPostalCode, ErrorCodes.ShipperCountry,
        ErrorCodes.ShipperPhone, ErrorCodes.ShipperAddressValidation);

    public static readonly PartyRole ShipTo = new("ShipTo", ErrorCodes.ShipToName, ErrorCodes.ShipToAddressLine,
        ErrorCodes.ShipToCity, ErrorCodes.ShipToState, ErrorCodes.ShipToPostalCode, ErrorCodes.ShipToCountry,
        ErrorCodes.ShipToPhone, ErrorCodes.ShipToAddressValidation);

    public static readonly PartyRole ShipFrom = new("ShipFrom", ErrorCodes.ShipFromName, ErrorCodes.ShipFromAddressLine,
        ErrorCodes.ShipFromCity, ErrorCodes.ShipFromState, ErrorCodes.ShipFromPostalCode, ErrorCodes.ShipFromCountry,
        ErrorCodes.ShipFromPhone, ErrorCodes.ShipFromAddressValidation);
}
