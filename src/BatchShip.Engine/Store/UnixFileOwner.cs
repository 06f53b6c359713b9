using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace BatchShip.Engine.Store;

/// <summary>
/// The owner of a file on Unix, which .NET does not expose (it has <see cref="File.GetUnixFileMode(string)"/>, nothing for
/// the owner). It asks the runtime's own native shim, libSystem.Native, which every .NET runtime on Linux and macOS loads
/// for itself: its stat fills one fixed layout (flags, mode, uid, gid first) on every platform and architecture, where
/// libc's struct stat differs between Linux x64, Linux arm64 and macOS and its symbol names differ between glibc
/// versions. The shim is not a public contract, so every answer is checked against the public mode API, and a
/// disagreement counts as "cannot tell", which refuses the path instead of trusting it.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class UnixFileOwner
{
    private const string Shim = "libSystem.Native";

    // Room for the whole FileStatus of any runtime version; only its first 16 bytes are read.
    private const int StatusBufferSize = 512;

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId => GetEUid();

    /// <summary>The owner's user id and the permission bits of a path (symbolic links followed), or an error text.</summary>
    public static (uint Owner, UnixFileMode Mode)? TryRead(string path, out string? error)
    {
        var status = new byte[StatusBufferSize];
        int result;
        try
        {
            result = Stat(path, status);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            error = $"this .NET runtime does not let BatchShip read a file's owner ({e.Message})";
            return null;
        }
        if (result != 0)
        {
            error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            return null;
        }
        var mode = (UnixFileMode)(BitConverter.ToInt32(status, 4) & 0xFFF);
        var owner = BitConverter.ToUInt32(status, 8);
        UnixFileMode expected;
        try { expected = File.GetUnixFileMode(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.Message;
            return null;
        }
        if (expected != mode)
        {
            error = "this .NET runtime reports file owners in a way BatchShip does not know";
            return null;
        }
        error = null;
        return (owner, mode);
    }

    [DllImport(Shim, EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);

    [DllImport(Shim, EntryPoint = "SystemNative_GetEUid")]
    private static extern uint GetEUid();
}
