using System.Runtime.InteropServices;
using BatchShip.Cmdlets.Loading;

namespace BatchShip.Engine.Tests.Loading;

public sealed class NativeLibraryLocatorTests
{
    [Theory]
    [InlineData("linux-x64", "runtimes/linux-x64/native/libe_sqlite3.so")]
    [InlineData("linux-arm64", "runtimes/linux-arm64/native/libe_sqlite3.so")]
    [InlineData("osx-x64", "runtimes/osx-x64/native/libe_sqlite3.dylib")]
    [InlineData("osx-arm64", "runtimes/osx-arm64/native/libe_sqlite3.dylib")]
    [InlineData("win-x64", "runtimes/win-x64/native/e_sqlite3.dll")]
    public void Each_runtime_has_its_own_file_name(string rid, string expected)
    {
        var path = NativeLibraryLocator.PathFor("/mod/dependencies", rid, "e_sqlite3");
        Assert.Equal(Path.Combine("/mod/dependencies", expected), path);
    }

    [Theory]
    [InlineData("linux", Architecture.X64, "linux-x64")]
    [InlineData("linux", Architecture.Arm64, "linux-arm64")]
    [InlineData("osx", Architecture.Arm64, "osx-arm64")]
    [InlineData("win", Architecture.X64, "win-x64")]
    public void Runtime_ids_follow_os_and_architecture(string os, Architecture arch, string expected) =>
        Assert.Equal(expected, NativeLibraryLocator.RuntimeId(os, arch));

    [Theory]
    [InlineData("e_sqlite3")]
    [InlineData("libe_sqlite3")]
    [InlineData("libe_sqlite3.so")]
    [InlineData("e_sqlite3.dll")]
    public void Find_returns_the_file_for_this_process_whatever_form_the_name_takes(string requested)
    {
        using var temp = new TempFolder();
        var expected = NativeLibraryLocator.PathFor(temp.Path, NativeLibraryLocator.CurrentRuntime(), "e_sqlite3");
        Directory.CreateDirectory(Path.GetDirectoryName(expected)!);
        File.WriteAllBytes(expected, [0]);
        Assert.Equal(expected, NativeLibraryLocator.Find(temp.Path, requested));
    }

    [Fact]
    public void Find_returns_null_when_the_module_does_not_carry_the_library()
    {
        using var temp = new TempFolder();
        Assert.Null(NativeLibraryLocator.Find(temp.Path, "e_sqlite3"));
    }

    [Fact]
    public void This_machine_is_one_of_the_supported_runtimes() =>
        Assert.Contains(NativeLibraryLocator.CurrentRuntime(), NativeLibraryLocator.SupportedRuntimes);
}
