namespace BatchShip.Engine.Carriers;

/// <summary>
/// The environment a carrier's server starts with: not this process's whole environment (which holds whatever the
/// user's shell holds: other credentials, tokens, keys), but what a program needs to run, plus the profile's own
/// variables. What passes: PATH, HOME, USER, LOGNAME, SHELL, LANG, LANGUAGE, TZ, LC_*, TMPDIR, TEMP, TMP,
/// XDG_RUNTIME_DIR; DOTNET_* (the dotnet host), proxy and CA settings (HTTP_PROXY, HTTPS_PROXY, NO_PROXY,
/// SSL_CERT_FILE, SSL_CERT_DIR) because a real carrier calls out over HTTPS; on Windows SystemRoot, windir,
/// SystemDrive, ComSpec, PATHEXT, USERPROFILE, USERNAME, APPDATA, LOCALAPPDATA, ProgramData, ProgramFiles and
/// friends; and BATCHSHIP_HOME and BATCHSHIP_SANDBOX_* (the bundled sandbox's ledger and faults, which are not
/// secrets).
/// </summary>
public static class CarrierChildEnvironment
{
    private static readonly HashSet<string> Names = new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)
    {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP", "XDG_RUNTIME_DIR",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR",
        "BATCHSHIP_HOME",
        // Windows: what the loader, the C runtime and most installers expect.
        "SystemRoot", "windir", "SystemDrive", "ComSpec", "PATHEXT", "USERPROFILE", "USERNAME", "USERDOMAIN", "HOMEDRIVE", "HOMEPATH",
        "APPDATA", "LOCALAPPDATA", "ProgramData", "ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "CommonProgramFiles",
        "CommonProgramFiles(x86)", "CommonProgramW6432", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "OS", "COMPUTERNAME",
    };

    private static readonly string[] Prefixes = ["LC_", "DOTNET_", "BATCHSHIP_SANDBOX_"];

    /// <summary>True when a variable of this process may pass to a carrier.</summary>
    public static bool IsAllowed(string name) =>
        Names.Contains(name) || Prefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>The allowed part of <paramref name="inherited"/>, then the profile's resolved variables on top (a null
    /// value there removes one).</summary>
    public static Dictionary<string, string?> Build(IEnumerable<KeyValuePair<string, string?>> inherited, IReadOnlyDictionary<string, string?> profile)
    {
        var result = new Dictionary<string, string?>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var (name, value) in inherited)
            if (IsAllowed(name)) result[name] = value;
        foreach (var (name, value) in profile) result[name] = value;
        return result;
    }

    /// <summary>This process's environment, for <see cref="Build"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Current()
    {
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            yield return new((string)e.Key, (string?)e.Value);
    }
}
