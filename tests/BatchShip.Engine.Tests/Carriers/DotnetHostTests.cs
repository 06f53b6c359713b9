using BatchShip.Engine.Carriers;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

public sealed class DotnetHostTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "dotnet-root");
    private static readonly string RuntimeDir = Path.Combine(Root, "shared", "Microsoft.NETCore.App", "10.0.1") + Path.DirectorySeparatorChar;
    private static readonly string RootHost = Path.Combine(Root, DotnetHost.ExecutableName);

    [Fact]
    public void Uses_DOTNET_HOST_PATH_when_it_names_an_existing_file()
    {
        var host = DotnetHost.Locate(v => v == "DOTNET_HOST_PATH" ? "/opt/custom/dotnet" : null, RuntimeDir,
            f => f == "/opt/custom/dotnet" || f == RootHost);

        Assert.Equal("/opt/custom/dotnet", host);
    }

    [Fact]
    public void Falls_back_on_the_host_three_levels_above_the_runtime_directory()
    {
        var host = DotnetHost.Locate(v => v == "DOTNET_HOST_PATH" ? "/missing/dotnet" : null, RuntimeDir, f => f == RootHost);

        Assert.Equal(RootHost, host);
    }

    [Fact]
    public void Falls_back_on_dotnet_from_PATH_when_nothing_exists()
    {
        Assert.Equal(DotnetHost.ExecutableName, DotnetHost.Locate(_ => null, RuntimeDir, _ => false));
    }

    [Fact]
    public void Finds_a_real_host_in_this_process()
    {
        Assert.True(File.Exists(DotnetHost.Locate()), "the test host runs on a runtime whose dotnet host exists");
    }
}
