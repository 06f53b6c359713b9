namespace BatchShip.Engine.Errors;

/// <summary>One entry of the error catalogue: what went wrong, whether trying again can help, and what to do.</summary>
/// <param name="Code">The stable code, e.g. <c>E-2001</c>; it is the FullyQualifiedErrorId of PowerShell errors.</param>
/// <param name="Title">A short title.</param>
/// <param name="Retryable">True when the same request may succeed later without any change (rate limit, outage).</param>
/// <param name="Category">The name of the PowerShell <c>ErrorCategory</c> (the engine does not reference PowerShell).</param>
/// <param name="Remedy">One sentence a shipping clerk can act on.</param>
public sealed record ErrorDefinition(string Code, string Title, bool Retryable, string Category, string Remedy)
{
    /// <summary>True for errors that stop the whole job under every policy (authentication, carrier unreachable).</summary>
    public bool IsSystemic => Code is "E-5001" or "E-5002" or "E-3001";
}
