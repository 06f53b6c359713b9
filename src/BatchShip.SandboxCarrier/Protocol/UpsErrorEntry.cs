namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>One UPS error entry: the code lives in details.response.errors[].</summary>
public sealed record UpsErrorEntry(string Code, string Message);
