namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>Thrown inside tools to end the call with a UPS-shaped error result.</summary>
public sealed class CarrierErrorException(CarrierError error) : Exception(error.Message)
{
    public CarrierError Error { get; } = error;

    public static CarrierErrorException Refusal(string upsCode, string message) =>
        new(CarrierError.Single(400, upsCode, message));
}
