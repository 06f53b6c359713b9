namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>A tool argument of the wrong shape; reported in the Python servers' pydantic wording.</summary>
public sealed class ArgumentValidationException(string tool, string field, string problem, string type)
    : Exception($"1 validation error for {tool}Arguments\n{field}\n  {problem} [type={type}]");
