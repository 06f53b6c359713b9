namespace BatchShip.Engine.Store;

/// <summary>Where the per-user store lives: <c>$env:BATCHSHIP_HOME</c> if set, else LocalApplicationData/BatchShip.</summary>
public static class StoreLocation
{
    /// <summary>The environment variable that overrides the store folder.</summary>
    public const string HomeVariable = "BATCHSHIP_HOME";

    /// <summary>The database file's name inside the store folder.</summary>
    public const string DatabaseFileName = "batchship.db";

    /// <summary>The store folder for this process's environment.</summary>
    public static string ResolveFolder() =>
        ResolveFolder(Environment.GetEnvironmentVariable(HomeVariable),
            Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify));

    /// <summary>The store folder for this process's environment, a relative <c>BATCHSHIP_HOME</c> made absolute by
    /// <paramref name="makeAbsolute"/> (the cmdlets resolve it against PowerShell's location, not the process's).</summary>
    public static string ResolveFolder(Func<string, string> makeAbsolute) =>
        ResolveFolder(Environment.GetEnvironmentVariable(HomeVariable),
            Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
            makeAbsolute);

    /// <summary>The store folder given the override (may be null or blank) and the LocalApplicationData folder.</summary>
    public static string ResolveFolder(string? homeOverride, string localApplicationData, Func<string, string>? makeAbsolute = null)
    {
        if (!string.IsNullOrWhiteSpace(homeOverride))
        {
            var home = homeOverride.Trim();
            return Path.GetFullPath(makeAbsolute is null || Path.IsPathFullyQualified(home) ? home : makeAbsolute(home));
        }
        if (string.IsNullOrEmpty(localApplicationData))
        {
            // A service account with no profile: fall back on the home folder rather than the current directory.
            localApplicationData = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }
        return Path.Combine(localApplicationData, "BatchShip");
    }
}
