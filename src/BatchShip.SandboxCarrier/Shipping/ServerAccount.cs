namespace BatchShip.SandboxCarrier.Shipping;

/// <summary>
/// The UPS account a TypeScript server ships on. Those servers take no shipper number from the client: they read
/// their own (UPS_ACCOUNT_NUMBER) and put it in the request they build, so the sandbox does the same.
/// </summary>
public sealed record ServerAccount(string Number)
{
    public const string Variable = "UPS_ACCOUNT_NUMBER";

    /// <summary>The account used when the variable is not set.</summary>
    public const string Default = "999AA1";

    public static ServerAccount Resolve(Func<string, string?> environment) =>
        new(environment(Variable) is { Length: > 0 } number ? number.Trim() : Default);
}
