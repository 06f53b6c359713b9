using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>Turns the error of a call that creates nothing (validation, tracking) into a catalogue error. Unlike a
/// create's error, nothing here can be unknown: every kind of failure only says whether asking again may help.</summary>
public static class CarrierErrorTranslation
{
    /// <summary>The catalogue entry for an error of a call that creates nothing.</summary>
    public static ErrorDefinition DefinitionOf(CarrierError error) => error.Kind switch
    {
        CarrierErrorKind.RequestShape => ErrorCatalog.Template,
        CarrierErrorKind.MissingInput => ErrorCatalog.CarrierFieldsMissing,
        CarrierErrorKind.Authentication => ErrorCatalog.AuthenticationFailed,
        CarrierErrorKind.Unreachable or CarrierErrorKind.Request => ErrorCatalog.CarrierUnavailable,
        CarrierErrorKind.Unstructured => ErrorCatalog.UnknownCarrierError,
        _ => ErrorCatalog.FromCarrier(error.CarrierCode, error.HttpStatus),
    };

    /// <summary>The exception for an error of a call that creates nothing, with the carrier's message and code.</summary>
    public static BatchShipException ToException(CarrierError error, string what) =>
        CarrierOutcomeClassifier.ToException(DefinitionOf(error), what, error);
}
