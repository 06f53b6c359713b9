using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Store;

/// <summary>
/// Keeps the store private on Unix. Whoever can write the store folder, the database or a carrier profile can read
/// every order and make BatchShip run a command as the current user (a profile's <c>command</c>), so each must belong
/// to the current user, and no other user may write it (nor read the database or a profile). Anything else is refused
/// with E-4012 naming the path and the command that fixes it; nothing is repaired silently, because a file someone
/// else made must be looked at before it is trusted. Windows needs none of this: the store lives under
/// LocalApplicationData, whose ACL admits only the user (and administrators).
/// </summary>
public static class PrivatePaths
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode GroupOrOtherAny = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates a folder and every missing folder above it with mode 0700 on Unix (Directory.CreateDirectory with
    /// a mode gives it to the last one only; the ones above would get 0755 and let others list what is inside).</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder); // inherits the profile's ACL: private to the user
            return;
        }
        var full = Path.GetFullPath(folder);
        if (Directory.Exists(full)) return;
        var parent = Path.GetDirectoryName(full);
        if (parent is not null) CreateFolder(parent);
        try
        {
            Directory.CreateDirectory(full, OwnerOnly);
        }
        catch (IOException) when (Directory.Exists(full))
        {
            // Another process made it first: it is checked like any folder that was already there.
        }
    }

    /// <summary>Refuses (E-4012) a folder that is not the current user's or that another user can write.</summary>
    public static void EnsureFolder(string folder, string what) => Ensure(folder, what, GroupOrOtherWrite, $"chmod go-w {Quote(folder)}");

    /// <summary>Refuses (E-4012) a file that is not the current user's or that another user can read or write.</summary>
    public static void EnsureFile(string file, string what) => Ensure(file, what, GroupOrOtherAny, $"chmod 600 {Quote(file)}");

    /// <summary>Takes group and other permissions off a folder of the current user (a store folder made by hand with
    /// the umask's 0755, before the store was created in it).</summary>
    public static void MakeOwnerOnly(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(folder);
        if ((mode & GroupOrOtherAny) != 0) File.SetUnixFileMode(folder, mode & ~GroupOrOtherAny);
    }

    private static void Ensure(string path, string what, UnixFileMode forbidden, string chmod)
    {
        if (OperatingSystem.IsWindows()) return;
        var status = UnixFileOwner.TryRead(path, out var error);
        if (status is not { } found)
            throw new BatchShipException(ErrorCatalog.StoreNotPrivate,
                $"BatchShip cannot check who owns the {what} {path}: {error}. Make sure it is yours and that only you can change it.", field: path);
        var me = UnixFileOwner.EffectiveUserId;
        if (found.Owner != me)
        {
            var chown = $"{(me == 0 ? "" : "sudo ")}chown {Environment.UserName} {Quote(path)}";
            throw new BatchShipException(ErrorCatalog.StoreNotPrivate,
                $"The {what} {path} belongs to user id {found.Owner}, not to you (user id {me}), so BatchShip does not trust what is in it. " +
                $"If you know it is yours, fix it with: {chown}; otherwise remove it.", field: path);
        }
        if ((found.Mode & forbidden) != 0)
        {
            var who = (found.Mode & GroupOrOtherWrite) != 0 ? "changed" : "read";
            throw new BatchShipException(ErrorCatalog.StoreNotPrivate,
                $"The {what} {path} can be {who} by other users (mode {Octal(found.Mode)}). Fix it with: {chmod}", field: path);
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    // Single quotes for a POSIX shell, so the command can be pasted as it is whatever the path holds.
    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
