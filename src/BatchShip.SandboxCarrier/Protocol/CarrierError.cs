namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>An error as the Python UPS MCP servers report it: HTTP status plus UPS error entries.</summary>
public sealed record CarrierError(int StatusCode, IReadOnlyList<UpsErrorEntry> Errors)
{
    public static CarrierError Single(int statusCode, string upsCode, string message) =>
        new(statusCode, [new UpsErrorEntry(upsCode, message)]);

    /// <summary>When a rate-limited caller may come back (the Retry-After header), if the gateway says.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public string Message => Errors.Count > 0 ? Errors[0].Message : "Unknown error";
}
