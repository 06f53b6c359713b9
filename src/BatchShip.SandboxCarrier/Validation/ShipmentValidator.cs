using System.Globalization;
using BatchShip.SandboxCarrier.Pricing;
using BatchShip.SandboxCarrier.Protocol;
using BatchShip.SandboxCarrier.Shipping;

namespace BatchShip.SandboxCarrier.Validation;

/// <summary>Refuses shipments with the UPS error codes a real ship or rate call would return.</summary>
public static class ShipmentValidator
{
    public static void Validate(ShipmentSpec spec, ValidationMode mode)
    {
        var result = new ValidationResult();
        var ship = mode == ValidationMode.Ship;

        if (spec.CustomerContext is { } context &&
            (TextRules.HasInvalidCharacters(context) || context.Length > TextRules.CustomerContextMax))
            result.Add(ErrorCodes.InvalidData, "Invalid CustomerContext");

        var shipperNumber = spec.Shipper.ShipperNumber?.Trim();
        if (ship || shipperNumber is not null)
        {
            if (shipperNumber is null || shipperNumber.Length != 6 || !shipperNumber.All(char.IsAsciiLetterOrDigit))
                result.Add(ErrorCodes.ShipperNumber, "Missing or invalid shipper number");
        }

        AddressRules.Check(spec.Shipper, PartyRole.Shipper, ship, result);
        AddressRules.Check(spec.ShipTo, PartyRole.ShipTo, ship, result);
        if (spec.ShipFrom is { } from) AddressRules.Check(from, PartyRole.ShipFrom, ship, result);

        if (ship)
        {
            var payable = spec.Charges.Any(c => !TextRules.IsBlank(c.Type) && !TextRules.IsBlank(c.AccountNumber));
            if (!spec.HasPaymentInformation || !payable)
                result.Add(ErrorCodes.PaymentInformation, "Missing or invalid PaymentInformation ShipmentCharge");
        }

        if (mode != ValidationMode.Shop)
        {
            var service = ServiceCatalog.Find(spec.ServiceCode);
            if (service is null)
                result.Add(ErrorCodes.ServiceCode, "Missing or invalid service code");
            else if (result.IsValid && !ServiceCatalog.Serves(service, spec.Origin.CountryCode, spec.ShipTo.Address.CountryCode))
                result.Add(ErrorCodes.ServiceUnavailableBetweenLocations,
                    "The requested service is unavailable between the selected locations.");
        }

        CheckReferences(spec, result);
        CheckPackages(spec, result);

        if (ship && LabelFormats.Normalize(spec.LabelFormat) is null)
            result.Add(ErrorCodes.LabelFormat, "Invalid or missing label image format");

        result.ThrowIfInvalid();
    }

    private static void CheckReferences(ShipmentSpec spec, ValidationResult result)
    {
        if (spec.ShipmentReferences.Count > 0 &&
            spec.Origin.CountryCode?.ToUpperInvariant() == "US" && spec.ShipTo.Address.CountryCode?.ToUpperInvariant() == "US")
            result.Add(ErrorCodes.ShipmentReferenceNotAllowed,
                "Shipment level reference numbers are not allowed for US to US shipments; use package level reference numbers");
        if (spec.ShipmentReferences.Count > 2)
            result.Add(ErrorCodes.TooManyPackageReferences, "No more than two shipment reference numbers are allowed");
        foreach (var reference in spec.ShipmentReferences)
            AddressRules.CheckText(reference, ErrorCodes.InvalidData, "ReferenceNumber Value", TextRules.ReferenceMax, required: true, result);
    }

    private static void CheckPackages(ShipmentSpec spec, ValidationResult result)
    {
        if (spec.Packages.Count == 0)
        {
            result.Add(ErrorCodes.PackagingType, "At least one Package is required");
            return;
        }
        for (var i = 0; i < spec.Packages.Count; i++)
        {
            var p = spec.Packages[i];
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            if (!PackagingCatalog.IsKnown(p.PackagingCode?.Trim()))
                result.Add(ErrorCodes.PackagingType, $"Missing or invalid packaging type on package {n}");
            if (!Json.TryDecimal(p.Weight, out var weight) || weight <= 0m)
                result.Add(ErrorCodes.PackageWeight, $"Missing or invalid package weight on package {n}");
            else if (p.WeightUnit is { } unit && unit.ToUpperInvariant() is not ("LBS" or "KGS" or "OZS"))
                result.Add(ErrorCodes.PackageWeight, $"Invalid package weight unit of measurement on package {n}");
            if (p.Dimensions is { } d)
            {
                var ok = new[] { d.Length, d.Width, d.Height }.All(v => Json.TryDecimal(v, out var x) && x > 0m)
                    && (d.UnitCode is null || d.UnitCode.ToUpperInvariant() is "IN" or "CM");
                if (!ok) result.Add(ErrorCodes.PackageDimensions, $"Invalid package dimensions on package {n}");
            }
            if (p.References.Count > 2)
                result.Add(ErrorCodes.TooManyPackageReferences, $"No more than two reference numbers are allowed on package {n}");
            foreach (var reference in p.References)
                AddressRules.CheckText(reference, ErrorCodes.InvalidData, "ReferenceNumber Value", TextRules.ReferenceMax, required: true, result);
        }
    }
}
