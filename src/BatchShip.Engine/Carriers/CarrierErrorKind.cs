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

    /// <summary>The server wanted to ask for missing fields and could not (<c>ELICITATION_UNSUPPORTED</c>); nothing was sent.</summary>
    MissingInput,

    /// <summary>Plain text without a code or status (the TypeScript servers), which proves nothing.</summary>
    Unstructured,
}
