namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>
/// UPS error codes the sandbox answers with. Most come from the UPS documentation; the few marked
/// "sandbox" fill gaps where UPS publishes no exact code for the rule.
/// </summary>
public static class ErrorCodes
{
    public const string TooManyRequests = "10429";
    public const string ShippingUnavailable = "120001";
    public const string LookupUnavailable = "190001";
    public const string InvalidAuthentication = "250002";

    public const string ShipperNumber = "120100";
    public const string ShipperName = "120101";
    public const string ShipperAddressLine = "120102";
    public const string ShipperCity = "120105";
    public const string ShipperState = "120106";
    public const string ShipperPostalCode = "120107";
    public const string ShipperCountry = "120108";
    public const string ShipperPhone = "120109";

    public const string ShipToName = "120200";
    public const string ShipToAddressLine = "120202";
    public const string ShipToCity = "120205";
    public const string ShipToState = "120206";
    public const string ShipToPostalCode = "120207";
    public const string ShipToCountry = "120208";
    public const string ShipToPhone = "120209";

    // sandbox: ship-from mirrors the ship-to numbering in the 1203xx block.
    public const string ShipFromName = "120300";
    public const string ShipFromAddressLine = "120302";
    public const string ShipFromCity = "120305";
    public const string ShipFromState = "120306";
    public const string ShipFromPostalCode = "120307";
    public const string ShipFromCountry = "120308";
    public const string ShipFromPhone = "120309";

    // sandbox: UPS publishes no single code for a missing payment container.
    public const string PaymentInformation = "120400";

    public const string ServiceCode = "120500";
    public const string ShipmentReferenceNotAllowed = "120541";
    public const string TooManyPackageReferences = "120543";
    public const string PackagingType = "120600";
    public const string PackageWeight = "120601";
    public const string PackageDimensions = "120609";
    public const string LabelFormat = "120702";

    public const string ShipperAddressValidation = "120801";
    public const string ShipToAddressValidation = "120802";
    public const string ShipFromAddressValidation = "120803";

    public const string InvalidData = "121000";
    public const string ServiceUnavailableBetweenLocations = "121210";

    public const string VoidInvalidShipmentId = "190100";

    // sandbox: UPS answers a body that lacks a container its schema requires with a schema error; this is its code here.
    public const string RequestSchema = "10002";

    public const string LabelRecoveryMissingKey = "300005";
    public const string LabelRecoveryNotFound = "300007";
    public const string LabelRecoveryVoided = "300033";

    // sandbox: the Track API's "no information" answer.
    public const string TrackingNotFound = "151044";

    public static string DescribeInjected(string code) => code switch
    {
        ShipperAddressValidation => "Address Validation Error on Shipper address",
        ShipToAddressValidation => "Address Validation Error on ShipTo address",
        ShipFromAddressValidation => "Address Validation Error on ShipFrom address",
        ShippingUnavailable => "The Shipping system is currently unavailable, please try again later.",
        ServiceCode => "Missing or invalid service code",
        ServiceUnavailableBetweenLocations => "The requested service is unavailable between the selected locations.",
        InvalidData => "Invalid data or special characters",
        _ => $"Shipment refused by the sandbox carrier (injected code {code})",
    };
}
