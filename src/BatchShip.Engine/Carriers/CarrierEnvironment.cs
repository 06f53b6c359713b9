using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>The rules for a profile's environment values: secrets are referenced (<c>$env:NAME</c> or
/// <c>secret:&lt;vault&gt;/&lt;name&gt;</c>), never written down.</summary>
public static class CarrierEnvironment
{
    /// <summary>The prefix that makes a value a reference to a variable of this process's environment.</summary>
    public const string ReferencePrefix = "$env:";

    private static readonly string[] SecretWords = ["SECRET", "PASSWORD", "TOKEN", "KEY"];

    /// <summary>True when a variable's name says it holds a secret (it contains SECRET, PASSWORD, TOKEN or KEY).</summary>
    public static bool IsSecretName(string name) =>
        SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>The referenced variable's name when the value is <c>$env:NAME</c>, else null.</summary>
    public static string? ReferencedVariable(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.StartsWith(ReferencePrefix, StringComparison.OrdinalIgnoreCase)) return null;
        var name = trimmed[ReferencePrefix.Length..];
        return name.Length == 0 ? null : name;
    }

    /// <summary>True when a value is a reference (<c>$env:NAME</c> or <c>secret:...</c>) rather than a literal.</summary>
    public static bool IsReference(string value) => ReferencedVariable(value) is not null || SecretReference.LooksLikeReference(value);

    /// <summary>The first secret-named variable that holds a literal value, or null when there is none.</summary>
    public static string? LiteralSecretKey(IReadOnlyDictionary<string, string> environment) =>
        // An empty literal carries no secret, and clearing an inherited variable is legitimate.
        environment.Where(e => IsSecretName(e.Key) && e.Value.Length > 0 && !IsReference(e.Value)).Select(e => e.Key).FirstOrDefault();

    /// <summary>Refuses (E-4007) a literal value for a secret-named variable: a profile is a file we keep, secrets are not.</summary>
    public static void EnsureNoLiteralSecrets(string profileName, IReadOnlyDictionary<string, string> environment)
    {
        if (LiteralSecretKey(environment) is { } key)
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"Carrier profile '{profileName}' holds a literal value for {key}. Secrets must not be written into a profile: " +
                $"set the variable in your environment and write \"{key}\": \"{ReferencePrefix}{key}\" instead.", field: key);
    }

    /// <summary>The environment to give the server: references replaced by this process's values and by the vault's
    /// secrets. A missing variable is E-5003, naming it; a secret that cannot be read E-5004 or E-5005.</summary>
    public static Dictionary<string, string?> Resolve(string profileName, IReadOnlyDictionary<string, string> environment,
        Func<string, string?> lookup, CarrierSecrets? secrets = null)
    {
        EnsureNoLiteralSecrets(profileName, environment);
        var resolved = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in environment) resolved[key] = ResolveOne(profileName, key, value, lookup, secrets);
        return resolved;
    }

    /// <summary>One variable's value: the literal, the referenced variable's value (E-5003 when unset) or the secret.</summary>
    public static string ResolveOne(string profileName, string key, string value, Func<string, string?> lookup, CarrierSecrets? secrets)
    {
        if (SecretReference.LooksLikeReference(value)) return (secrets ?? CarrierSecrets.None).Get(profileName, key, value);
        var variable = ReferencedVariable(value);
        if (variable is null) return value;
        return lookup(variable) ?? throw new BatchShipException(ErrorCatalog.CredentialNotSet,
            $"Carrier profile '{profileName}' takes {key} from the environment variable {variable}, which is not set in this session.", field: variable);
    }

    /// <summary>The values taken from this process's environment or a vault (<c>$env:NAME</c> and <c>secret:</c>
    /// entries): what the carrier must never be able to make us store, show or log.</summary>
    public static IEnumerable<string> ReferencedValues(IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string?> resolved) =>
        environment.Where(e => IsReference(e.Value) && resolved.TryGetValue(e.Key, out var v) && !string.IsNullOrEmpty(v))
            .Select(e => resolved[e.Key]!);
}
