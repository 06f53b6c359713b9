using BatchShip.Engine.Store;

namespace BatchShip.Engine.Tests.Store;

public sealed class StoreLocationTests
{
    [Fact]
    public void The_environment_override_wins()
    {
        var folder = StoreLocation.ResolveFolder("/srv/shipping/store", "/home/clerk/.local/share");
        Assert.Equal(Path.GetFullPath("/srv/shipping/store"), folder);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Without_an_override_the_store_is_under_local_application_data(string? blank)
    {
        var folder = StoreLocation.ResolveFolder(blank, "/home/clerk/.local/share");
        Assert.Equal(Path.Combine("/home/clerk/.local/share", "BatchShip"), folder);
    }

    [Fact]
    public void A_relative_override_is_made_absolute()
    {
        var folder = StoreLocation.ResolveFolder("relative/store", "/unused");
        Assert.True(Path.IsPathFullyQualified(folder));
        Assert.EndsWith(Path.Combine("relative", "store"), folder);
    }

    [Fact]
    public void Opening_creates_a_private_folder_and_file()
    {
        using var temp = new TempFolder();
        var folder = temp.Combine("nested", "store");
        using (var store = BatchStore.Open(folder))
        {
            Assert.True(File.Exists(store.DatabasePath));
        }
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, StoreLocation.DatabaseFileName)));
        }
    }

    [Fact]
    public void The_schema_version_is_recorded_and_reopening_keeps_it()
    {
        using var temp = new TempFolder();
        using (BatchStore.Open(temp.Path)) { }
        using var store = BatchStore.Open(temp.Path); // a second open must not re-run migrations
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.DatabasePath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA user_version";
        Assert.Equal((long)StoreSchema.CurrentVersion, (long)cmd.ExecuteScalar()!);
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)cmd.ExecuteScalar()!);
    }

    [Fact]
    public void A_store_from_a_newer_version_is_refused()
    {
        using var temp = new TempFolder();
        string path;
        using (var store = BatchStore.Open(temp.Path)) path = store.DatabasePath;
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"PRAGMA user_version = {StoreSchema.CurrentVersion + 1}";
            cmd.ExecuteNonQuery();
        }
        var error = Assert.Throws<InvalidOperationException>(() => BatchStore.Open(temp.Path));
        Assert.Contains("newer BatchShip", error.Message);
    }
}
