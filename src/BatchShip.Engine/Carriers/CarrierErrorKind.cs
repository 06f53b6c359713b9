namespace BatchShip.Engine.Carriers;

/// <summary>What kind of error text a carrier's MCP server sent back.</summary>
public enum CarrierErrorKind
{
    /// <summary>The carrier's API answered with an error: an HTTP status and, usually, a UPS code.</summary>
    Carrier,

    /// <summary>The server could not complete its call to the carrier (matt-hans <c>REQUEST_ERROR</c>: network failure,
    /// read timeout, OAuth failure); the request may or may not have reached the carrier.</summary>
    Request,

    /// <summary>The tool's arguments had the wrong shape (argument validation, <c>VALIDATION_ERROR</c>, <c>MALFORMED_REQUEST</c>);
    /// the server refused them before calling the carrier.</summary>
    RequestShape,

    /// <summary>The server found fields missing before it called the carrier (<c>STRUCTURAL_FIELDS_REQUIRED</c>, the
    /// <c>ELICITATION_*</c> family, <c>INCOMPLETE_SHIPMENT</c>); nothing was sent.</summary>
    MissingInput,

    /// <summary>The server could not sign in to the carrier (its OAuth token request was refused, or it has no
    /// credentials), so it never reached the ship endpoint; nothing was sent.</summary>
    Authentication,

    /// <summary>The server could not open a connection to the carrier (connection refused, host name not resolved);
    /// nothing was sent.</summary>
    Unreachable,

    /// <summary>Plain text without a code, a status or other evidence (the TypeScript servers), which proves nothing.</summary>
    Unstructured,
}
