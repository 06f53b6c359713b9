using System.Diagnostics;
using System.Runtime.Versioning;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Tests.Store;

/// <summary>
/// A store folder, database, carrier profile or label folder that another user can change is refused (E-4012): a
/// profile's command runs as the current user, and the database holds every order. Unix only: on Windows the store
/// lives under LocalApplicationData, which carries the user's own ACL.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class StorePrivacyTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Everyone = (UnixFileMode)0b111_111_111;
    private const UnixFileMode EveryoneFile = (UnixFileMode)0b110_110_110;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string NewStoreFolder(UnixFileMode mode)
    {
        var folder = _temp.Combine("store");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, mode);
        return folder;
    }

    private static BatchShipException RefusedPrivacy(Action action, string path)
    {
        var error = Assert.Throws<BatchShipException>(action);
        Assert.Equal("E-4012", error.Error.Code);
        Assert.Contains(path, error.Message);
        return error;
    }

    [UnixFact]
    public void A_store_folder_others_can_write_is_refused_with_the_chmod_that_fixes_it()
    {
        var folder = NewStoreFolder(Everyone);

        var error = RefusedPrivacy(() => BatchStore.Open(folder).Dispose(), folder);

        Assert.Contains($"chmod go-w '{folder}'", error.Message);
        Assert.False(File.Exists(Path.Combine(folder, StoreLocation.DatabaseFileName)), "nothing is written into a folder others can change");
    }

    [UnixFact]
    public void A_database_others_can_read_or_write_is_refused()
    {
        var folder = NewStoreFolder(Private);
        var database = Path.Combine(folder, StoreLocation.DatabaseFileName);
        using (BatchStore.Open(folder)) { }
        File.SetUnixFileMode(database, EveryoneFile);

        var error = RefusedPrivacy(() => BatchStore.Open(folder).Dispose(), database);

        Assert.Contains($"chmod 600 '{database}'", error.Message);
    }

    [UnixFact]
    public void A_carrier_profile_others_can_change_is_refused_before_its_command_is_read()
    {
        var folder = NewStoreFolder(Private);
        var profile = _temp.File(Path.Combine("store", "carriers", "Planted.json"), """{"command": "sh", "args": ["-c", "touch owned"]}""");
        File.SetUnixFileMode(profile, EveryoneFile);

        var error = RefusedPrivacy(() => CarrierProfiles.Resolve("Planted", _temp.Path, folder), profile);

        Assert.Contains($"chmod 600 '{profile}'", error.Message);
    }

    [UnixFact]
    public void A_carriers_folder_others_can_write_is_refused()
    {
        var folder = NewStoreFolder(Private);
        var profile = _temp.File(Path.Combine("store", "carriers", "Mine.json"), """{"command": "uvx"}""");
        File.SetUnixFileMode(profile, PrivateFile);
        var carriers = Path.GetDirectoryName(profile)!;
        File.SetUnixFileMode(carriers, Everyone);

        RefusedPrivacy(() => CarrierProfiles.Resolve("Mine", _temp.Path, folder), carriers);
    }

    [UnixFact]
    public void A_private_profile_in_a_private_store_is_read()
    {
        var folder = NewStoreFolder(Private);
        var profile = _temp.File(Path.Combine("store", "carriers", "Mine.json"), """{"command": "uvx"}""");
        File.SetUnixFileMode(profile, PrivateFile);

        Assert.Equal("uvx", CarrierProfiles.Resolve("Mine", _temp.Path, folder).Command);
    }

    [UnixFact]
    public void A_labels_folder_others_can_write_is_refused()
    {
        var folder = NewStoreFolder(Private);
        var labels = Path.Combine(folder, "labels");
        Directory.CreateDirectory(labels);
        File.SetUnixFileMode(labels, Everyone);

        RefusedPrivacy(() => BatchStore.Open(folder).Dispose(), labels);
    }

    [UnixFact]
    public void A_store_folder_made_by_hand_with_a_carriers_folder_becomes_private_and_so_do_its_labels()
    {
        // mkdir -p ~/.local/share/BatchShip/carriers before first use: the umask leaves the store folder 0755.
        var folder = NewStoreFolder(Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(Path.Combine(folder, "carriers"));

        using (var store = BatchStore.Open(folder))
        {
            new LabelWriter(Path.Combine(store.Folder, "labels", "abcdefgh")).Write("abcdefgh", 1,
                [new ShipmentPackage("1Z999AA10123456784", "GIF", [1, 2, 3])]);
        }

        Assert.Equal(Private, File.GetUnixFileMode(folder));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(folder, "labels")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(folder, "labels", "abcdefgh")));
    }

    [UnixFact]
    public void Every_folder_the_store_creates_is_private()
    {
        var folder = _temp.Combine("new", "nested", "store");

        using (BatchStore.Open(folder)) { }

        Assert.Equal(Private, File.GetUnixFileMode(folder));
        Assert.Equal(Private, File.GetUnixFileMode(_temp.Combine("new", "nested")));
        Assert.Equal(Private, File.GetUnixFileMode(_temp.Combine("new")));
    }

    [RootFact]
    public void A_profile_owned_by_another_user_is_refused_with_the_chown_that_fixes_it()
    {
        var folder = NewStoreFolder(Private);
        var profile = _temp.File(Path.Combine("store", "carriers", "Planted.json"), """{"command": "sh"}""");
        File.SetUnixFileMode(profile, PrivateFile);
        Chown("nobody", profile);

        var error = RefusedPrivacy(() => CarrierProfiles.Resolve("Planted", _temp.Path, folder), profile);

        Assert.Contains($"chown {Environment.UserName} '{profile}'", error.Message);
    }

    [RootFact]
    public void A_store_folder_owned_by_another_user_is_refused()
    {
        var folder = NewStoreFolder(Private);
        Chown("nobody", folder);

        RefusedPrivacy(() => BatchStore.Open(folder).Dispose(), folder);
    }

    private static void Chown(string user, string path)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", [user, path]) { UseShellExecute = false })!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}

/// <summary>A fact that runs on Linux and macOS only: file modes mean nothing on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix file modes: on Windows the store folder carries the user's ACL.";
    }
}

/// <summary>A fact that needs root: only root can give a file to another user (chown), as an intruder's file would be.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix file owners: on Windows the store folder carries the user's ACL.";
        else if (Environment.UserName != "root") Skip = "Needs root: only root can make a file owned by another user (chown nobody) to stand for an intruder's file.";
    }
}
