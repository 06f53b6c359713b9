namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>One UPS error entry: the code lives in details.response.errors[].</summary>
public sealed record UpsErrorEntry(string Code, string Message);

/// <summary>An error as the Python UPS MCP servers report it: HTTP status plus UPS error entries.</summary>
public sealed record CarrierError(int StatusCode, IReadOnlyList<UpsErrorEntry> Errors)
{
    public static CarrierError Single(int statusCode, string upsCode, string message) =>
        new(statusCode, [new UpsErrorEntry(upsCode, message)]);

    public string Message => Errors.Count > 0 ? Errors[0].Message : "Unknown error";
}

/// <summary>Thrown inside tools to end the call with a UPS-shaped error result.</summary>
public sealed class CarrierErrorException(CarrierError error) : Exception(error.Message)
{
    public CarrierError Error { get; } = error;

    public static CarrierErrorException Refusal(string upsCode, string message) =>
        new(CarrierError.Single(400, upsCode, message));
}
