using System.Collections.Concurrent;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>A profile value that names a secret in a vault: <c>secret:&lt;vault&gt;/&lt;name&gt;</c>.</summary>
/// <param name="Vault">The SecretManagement vault.</param>
/// <param name="Name">The secret's name in that vault.</param>
public sealed record SecretReference(string Vault, string Name)
{
    /// <summary>The prefix that makes a profile value a secret reference.</summary>
    public const string Prefix = "secret:";

    /// <summary>The reference a value names, or null when it is not <c>secret:&lt;vault&gt;/&lt;name&gt;</c>.</summary>
    public static SecretReference? Parse(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var rest = trimmed[Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1) return null;
        return new SecretReference(rest[..slash].Trim(), rest[(slash + 1)..].Trim());
    }

    /// <summary>True when a value starts like a secret reference (well formed or not).</summary>
    public static bool LooksLikeReference(string value) => value.TrimStart().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => $"{Prefix}{Vault}/{Name}";
}

/// <summary>
/// The secrets a carrier's profile reads from vaults, fetched by the PowerShell side (which has a runspace to call
/// Get-Secret in) and held in memory only: never written to the store, a log or a message. The values are fetched once,
/// on the thread that may call PowerShell (<see cref="Load"/>), so that a carrier restarted by a worker later finds them.
/// </summary>
public sealed class CarrierSecrets
{
    private readonly Func<SecretReference, string>? _fetch;
    private readonly ConcurrentDictionary<SecretReference, string> _values = new();

    /// <param name="fetch">Reads one secret; throws an E-5004 or E-5005 <see cref="BatchShipException"/> when it cannot.</param>
    public CarrierSecrets(Func<SecretReference, string>? fetch) => _fetch = fetch;

    /// <summary>No vault access: a secret reference is E-5004 (the engine alone cannot reach a vault).</summary>
    public static CarrierSecrets None { get; } = new(null);

    /// <summary>Fetches every secret the environment refers to, now, so later starts need no vault access.</summary>
    public void Load(string profileName, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (key, value) in environment)
            if (SecretReference.LooksLikeReference(value)) Get(profileName, key, value);
    }

    /// <summary>The value of the secret a profile variable refers to.</summary>
    public string Get(string profileName, string key, string value)
    {
        var reference = SecretReference.Parse(value) ?? throw new BatchShipException(ErrorCatalog.Configuration,
            $"Carrier profile '{profileName}' gives {key} the reference '{value}', which is not of the form secret:<vault>/<name>.", field: key);
        if (_values.TryGetValue(reference, out var known)) return known;
        if (_fetch is null)
            throw new BatchShipException(ErrorCatalog.SecretManagementMissing,
                $"Carrier profile '{profileName}' reads {key} from {reference}, and no secret vault can be reached here.", field: key);
        return _values.GetOrAdd(reference, _fetch(reference));
    }
}
