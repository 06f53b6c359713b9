namespace BatchShip.Engine.Carriers;

/// <summary>An error a carrier's MCP server reported, as read from its text.</summary>
/// <param name="Kind">What kind of error it is.</param>
/// <param name="Message">The carrier's (or server's) message, kept verbatim for the user.</param>
/// <param name="HttpStatus">The carrier API's HTTP status, when known.</param>
/// <param name="Code">The server's own <c>code</c> field (often only the HTTP status, or REQUEST_ERROR etc.).</param>
/// <param name="UpsCode">The UPS error code (e.g. 120802) from <c>details.response.errors[0].code</c>, when present.</param>
public sealed record CarrierError(CarrierErrorKind Kind, string Message, int? HttpStatus = null, string? Code = null, string? UpsCode = null)
{
    /// <summary>The most specific code to show and to translate: the UPS code, else the server's code.</summary>
    public string? CarrierCode => UpsCode ?? Code;

    /// <summary>The fields the server found missing before it called the carrier (their <c>dot_path</c>, else <c>flat_key</c>).</summary>
    public IReadOnlyList<string> MissingFields { get; init; } = [];

    /// <summary>When the carrier will take a call again (the HTTP Retry-After the server passed on), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
