using System.Globalization;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Decides what a tool result means for a row. The rule that matters: only an answer that proves nothing was created
/// is a refusal; everything else after the request left us is <see cref="CreateOutcome.Unknown"/>, because a retry
/// of a shipment that does exist ships it twice.
/// </summary>
public static class CarrierOutcomeClassifier
{
    /// <summary>UPS 120001 "shipping system unavailable": with HTTP 503 it states the shipment was not created.</summary>
    public const string ShippingSystemUnavailable = "120001";

    /// <summary>UPS label recovery: no shipment carries the reference.</summary>
    public const string LabelNotFound = "300007";

    /// <summary>UPS label recovery: the shipment was voided.</summary>
    public const string LabelVoided = "300033";

    /// <summary>Classifies a create tool's result from its error flag and text.</summary>
    public static CreateOutcome ClassifyCreate(bool isError, string text, long maxLabelBytes = CarrierProfile.DefaultMaxLabelBytes,
        CarrierResponseFormat response = CarrierResponseFormat.Ups, CarrierErrorFormat errors = CarrierErrorFormat.MattHans)
    {
        if (isError || CarrierErrorReader.LooksLikeError(text)) return ClassifyCreateError(CarrierErrorReader.Read(text, errors));
        try
        {
            return new CreateOutcome.Created(response == CarrierResponseFormat.ShipAgent
                ? CarrierResponseReader.ReadShipAgentShipment(text, maxLabelBytes)
                : CarrierResponseReader.ReadShipment(text, maxLabelBytes));
        }
        catch (CarrierFormatException ex)
        {
            // The server said it succeeded: the shipment probably exists, so this is never a refusal.
            return new CreateOutcome.Unknown($"The carrier answered the create with a body we cannot read: {ex.Message}", ex);
        }
    }

    /// <summary>Classifies a create tool's error.</summary>
    public static CreateOutcome ClassifyCreateError(CarrierError error)
    {
        switch (error.Kind)
        {
            case CarrierErrorKind.RequestShape:
                // The arguments come from the template, not from one cell of the row: the template is what to fix.
                return Refused(ErrorCatalog.Template, "The carrier's server refused the request's shape", error);
            case CarrierErrorKind.MissingInput:
                return Refused(ErrorCatalog.CarrierFieldsMissing, "The carrier's server refused the request before calling the carrier", error,
                    error.MissingFields.Count > 0 ? string.Join(", ", error.MissingFields) : null);
            case CarrierErrorKind.Authentication:
                // Signing in comes before the ship call: it failed, so the shipment was never requested.
                return Refused(ErrorCatalog.AuthenticationFailed, "The carrier's server could not sign in to the carrier, so nothing was sent", error);
            case CarrierErrorKind.Unreachable:
                return Refused(ErrorCatalog.CarrierUnavailable, "The carrier's server could not reach the carrier, so nothing was sent", error);
            case CarrierErrorKind.Request:
                // A network failure or read timeout between the server and UPS may come after UPS made the shipment.
                return Unknown(ErrorCatalog.CarrierUnavailable, "The carrier's server could not complete its call to the carrier", error);
            case CarrierErrorKind.Unstructured:
                // Without a status nothing proves the carrier made no shipment.
                return Unknown(ErrorCatalog.UnknownCarrierError, "The carrier reported an error without a code", error);
        }

        var definition = ErrorCatalog.FromCarrier(error.CarrierCode, error.HttpStatus);
        if (IsDefiniteRefusal(error)) return Refused(definition, "The carrier refused the shipment", error);
        return Unknown(definition, "The carrier failed while creating the shipment", error);
    }

    /// <summary>True for carrier answers that prove nothing was created: any 4xx (incl. 401 and 429), 503 with UPS
    /// 120001, a UPS code without a status (ShipAgent's <c>UPS API Error [code]</c>) that the catalogue translates into a
    /// refusal of the request, and the server's own refusals before it called the carrier.</summary>
    public static bool IsDefiniteRefusal(CarrierError error) => error.Kind switch
    {
        CarrierErrorKind.RequestShape or CarrierErrorKind.MissingInput or CarrierErrorKind.Authentication or CarrierErrorKind.Unreachable => true,
        CarrierErrorKind.Carrier => error.HttpStatus switch
        {
            >= 400 and < 500 => true,
            503 => error.UpsCode == ShippingSystemUnavailable,
            null => error.UpsCode is { } code && IsRefusalCode(code),
            _ => false,
        },
        _ => false,
    };

    // Without a status, only a code the catalogue knows as a refusal of the request proves nothing was made: an
    // unknown code, or one that says the carrier's system failed, may have come after the shipment was made.
    private static bool IsRefusalCode(string code) =>
        ErrorCatalog.FromCarrier(code, null) is var definition
        && definition != ErrorCatalog.UnknownCarrierError
        && definition != ErrorCatalog.CarrierUnavailable;

    /// <summary>Classifies a rate tool's result. A rate creates nothing, so an error of any kind is a refusal: its
    /// catalogue entry says whether trying again may help (a 429, a carrier that is down).</summary>
    public static RateOutcome ClassifyRate(bool isError, string text)
    {
        if (isError || CarrierErrorReader.LooksLikeError(text))
        {
            var error = CarrierErrorReader.Read(text);
            var definition = error.Kind switch
            {
                CarrierErrorKind.RequestShape => ErrorCatalog.Template,
                CarrierErrorKind.MissingInput => ErrorCatalog.CarrierFieldsMissing,
                CarrierErrorKind.Authentication => ErrorCatalog.AuthenticationFailed,
                CarrierErrorKind.Unreachable or CarrierErrorKind.Request => ErrorCatalog.CarrierUnavailable,
                CarrierErrorKind.Unstructured => ErrorCatalog.UnknownCarrierError,
                _ => ErrorCatalog.FromCarrier(error.CarrierCode, error.HttpStatus),
            };
            var field = error.Kind == CarrierErrorKind.MissingInput && error.MissingFields.Count > 0 ? string.Join(", ", error.MissingFields) : null;
            return new RateOutcome.Refused(ToException(definition, "The carrier could not rate the shipment", error, field)) { RetryAfter = error.RetryAfter };
        }
        try
        {
            return new RateOutcome.Rated(CarrierResponseReader.ReadRate(text));
        }
        catch (CarrierFormatException ex)
        {
            return new RateOutcome.Refused(new BatchShipException(ErrorCatalog.UnknownCarrierError,
                $"The carrier answered the rate with a body we cannot read: {ex.Message}", inner: ex));
        }
    }

    /// <summary>Classifies a lookup tool's result: found, proven absent (300007, or 300033 voided), or no answer.</summary>
    public static LookupOutcome ClassifyLookup(bool isError, string text, long maxLabelBytes = CarrierProfile.DefaultMaxLabelBytes,
        CarrierErrorFormat errors = CarrierErrorFormat.MattHans)
    {
        if (isError || CarrierErrorReader.LooksLikeError(text))
        {
            var error = CarrierErrorReader.Read(text, errors);
            // A voided shipment is not live: the row's reference ships nothing, so creating it again is right.
            if (error.UpsCode is LabelNotFound or LabelVoided) return new LookupOutcome.NotFound { Voided = error.UpsCode == LabelVoided };
            return new LookupOutcome.Unavailable($"The carrier could not look the reference up: {Describe(error)}");
        }
        try
        {
            return new LookupOutcome.Found(CarrierResponseReader.ReadLabelRecovery(text, maxLabelBytes));
        }
        catch (CarrierFormatException ex)
        {
            return new LookupOutcome.Unavailable($"The carrier's lookup answer cannot be read: {ex.Message}");
        }
    }

    /// <summary>UPS void: the shipment was voided before. Voiding twice is harmless, so this is a success.</summary>
    public const string AlreadyVoided = "190117";

    /// <summary>UPS 190001 "void system unavailable": with HTTP 503 it states nothing was voided.</summary>
    public const string VoidSystemUnavailable = "190001";

    /// <summary>Classifies a void tool's result. As with a create, only an answer that proves nothing was voided is a
    /// refusal; an answer that cannot be read, or an error after the request may have reached the carrier, is unknown.</summary>
    public static VoidOutcome ClassifyVoid(bool isError, string text)
    {
        if (isError || CarrierErrorReader.LooksLikeError(text))
        {
            var error = CarrierErrorReader.Read(text);
            if (error.UpsCode == AlreadyVoided) return new VoidOutcome.Voided(AlreadyVoided: true);
            // 190001 with 503 says the void system is down: nothing was voided, like 120001 for a create.
            var systemDown = error.HttpStatus == 503 && error.UpsCode == VoidSystemUnavailable;
            if (error.Kind is CarrierErrorKind.Request or CarrierErrorKind.Unstructured || !(IsDefiniteRefusal(error) || systemDown))
                return new VoidOutcome.Unknown($"The carrier failed while voiding the shipment: {Describe(error)}");
            var definition = error.Kind switch
            {
                CarrierErrorKind.RequestShape or CarrierErrorKind.MissingInput => ErrorCatalog.Configuration,
                CarrierErrorKind.Authentication => ErrorCatalog.AuthenticationFailed,
                CarrierErrorKind.Unreachable => ErrorCatalog.CarrierUnavailable,
                _ => ErrorCatalog.FromCarrier(error.CarrierCode, error.HttpStatus),
            };
            return new VoidOutcome.Refused(ToException(definition, "The carrier did not void the shipment", error));
        }
        try
        {
            var status = System.Text.Json.Nodes.JsonNode.Parse(text)?["VoidShipmentResponse"]?["SummaryResult"]?["Status"];
            if (status?["Code"]?.GetValue<string>() == "1")
                return new VoidOutcome.Voided(status["Description"]?.GetValue<string>() is { } d
                    && d.Contains("Already", StringComparison.OrdinalIgnoreCase));
            return new VoidOutcome.Unknown($"The carrier's void answer has no success status: {Shorten(text)}");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return new VoidOutcome.Unknown($"The carrier answered the void with a body we cannot read: {ex.Message}");
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    /// <summary>The exception a refusal or unknown outcome carries: the catalogue entry, the carrier's message and its code.</summary>
    public static BatchShipException ToException(ErrorDefinition definition, string what, CarrierError error, string? field = null) =>
        new(definition, $"{what}: {Describe(error)}", field) { CarrierCode = error.CarrierCode };

    private static CreateOutcome.Refused Refused(ErrorDefinition definition, string what, CarrierError error, string? field = null) =>
        new(ToException(definition, what, error, field)) { RetryAfter = error.RetryAfter };

    private static CreateOutcome.Unknown Unknown(ErrorDefinition definition, string what, CarrierError error)
    {
        var exception = ToException(definition, what, error);
        return new CreateOutcome.Unknown(exception.Message, exception);
    }

    private static string Describe(CarrierError error)
    {
        var codes = new List<string>(2);
        if (error.UpsCode is not null) codes.Add($"UPS {error.UpsCode}");
        else if (error.Code is not null && error.Code != error.HttpStatus?.ToString(CultureInfo.InvariantCulture)) codes.Add($"code {error.Code}");
        if (error.HttpStatus is int s) codes.Add(string.Create(CultureInfo.InvariantCulture, $"HTTP {s}"));
        return codes.Count == 0 ? error.Message : $"{error.Message} ({string.Join(", ", codes)})";
    }
}
