using System.Text.RegularExpressions;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Reads what matt-hans/ups-mcp's <c>REQUEST_ERROR</c> proves. It wraps any exception of Python's <c>requests</c>
/// library, including a read timeout of the ship call itself, so in general it proves nothing. Only a message that
/// shows the request never reached the ship endpoint does: a failure at the OAuth token URL (the server signs in
/// before it ships), or a connection that was never opened (refused, host name not resolved, connect timeout).
/// </summary>
internal static partial class RequestErrorEvidence
{
    /// <summary>The kind of a REQUEST_ERROR with this message: Authentication, Unreachable, or Request (unknown).</summary>
    public static CarrierErrorKind Classify(string message)
    {
        if (TokenUrl().IsMatch(message))
            return SignInRefused().IsMatch(message) ? CarrierErrorKind.Authentication : CarrierErrorKind.Unreachable;
        return NeverConnected().IsMatch(message) ? CarrierErrorKind.Unreachable : CarrierErrorKind.Request;
    }

    // requests: "401 Client Error: Unauthorized for url: https://wwwcie.ups.com/security/v1/oauth/token", and
    // "Max retries exceeded with url: /security/v1/oauth/token (Caused by ...)" for a token call that never connected.
    [GeneratedRegex(@"/security/v1/oauth/token\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TokenUrl();

    [GeneratedRegex(@"\b(401|403) Client Error\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SignInRefused();

    // urllib3's names for a connection that was never established; nothing of the request was written to it.
    [GeneratedRegex(@"Connection refused|Failed to establish a new connection|NewConnectionError|NameResolutionError|getaddrinfo failed|Name or service not known|nodename nor servname provided|Temporary failure in name resolution|ConnectTimeoutError",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NeverConnected();
}
