using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;

namespace BatchShip.Cmdlets.Carriers;

/// <summary>
/// Reads the secrets a carrier profile refers to (<c>secret:&lt;vault&gt;/&lt;name&gt;</c>) with Get-Secret from
/// Microsoft.PowerShell.SecretManagement, in the cmdlet's own runspace. The module is optional: it is looked for only
/// when a profile refers to a vault. Values stay in memory; they are never written, logged or shown.
/// </summary>
internal static class VaultSecrets
{
    public const string ModuleName = "Microsoft.PowerShell.SecretManagement";

    /// <summary>Secrets read through <paramref name="cmdlet"/>'s runspace. Only call from the pipeline thread: load
    /// them (<see cref="CarrierSecrets.Load"/>) before handing them to work on other threads.</summary>
    public static CarrierSecrets For(PSCmdlet cmdlet) => new(reference => Read(cmdlet, reference));

    private static string Read(PSCmdlet cmdlet, SecretReference reference)
    {
        if (!IsInstalled())
            throw new BatchShipException(ErrorCatalog.SecretManagementMissing,
                $"A carrier profile reads {reference}, and the module {ModuleName} is not installed.", field: reference.ToString());

        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand($"{ModuleName}\\Get-Secret")
            .AddParameter("Vault", reference.Vault)
            .AddParameter("Name", reference.Name)
            .AddParameter("ErrorAction", ActionPreference.Stop);
        object? value;
        try
        {
            value = ps.Invoke().FirstOrDefault()?.BaseObject;
        }
        catch (Exception e) when (e is RuntimeException or CmdletInvocationException)
        {
            throw new BatchShipException(ErrorCatalog.SecretNotFound,
                $"Get-Secret could not read {reference}: {e.Message}", field: reference.ToString());
        }
        return value switch
        {
            string s when s.Length > 0 => s,
            SecureString secure when secure.Length > 0 => Plain(secure),
            null => throw new BatchShipException(ErrorCatalog.SecretNotFound,
                $"The vault '{reference.Vault}' has no secret named '{reference.Name}' ({reference}).", field: reference.ToString()),
            _ => throw new BatchShipException(ErrorCatalog.SecretNotFound,
                $"The secret {reference} is not a text (a string or SecureString), so it cannot be given to a carrier as a variable.", field: reference.ToString()),
        };
    }

    // Asked once per read: a module installed while the session runs is found on the next command.
    private static bool IsInstalled()
    {
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand("Get-Module").AddParameter("Name", ModuleName).AddParameter("ListAvailable");
        return ps.Invoke().Count > 0;
    }

    private static string Plain(SecureString secure)
    {
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try { return Marshal.PtrToStringUni(pointer) ?? ""; }
        finally { Marshal.ZeroFreeGlobalAllocUnicode(pointer); }
    }
}
