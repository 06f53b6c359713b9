namespace BatchShip.SandboxCarrier.Ledger;

/// <summary>Where the ledger lives unless a path is given explicitly.</summary>
public static class LedgerLocation
{
    public const string LedgerVariable = "BATCHSHIP_SANDBOX_LEDGER";
    public const string HomeVariable = "BATCHSHIP_HOME";

    public static string Resolve(Func<string, string?> environment)
    {
        if (environment(LedgerVariable) is { Length: > 0 } explicitPath) return explicitPath;
        var home = environment(HomeVariable) is { Length: > 0 } h
            ? h
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "BatchShip");
        return Path.Combine(home, "sandbox", "ledger.jsonl");
    }
}
