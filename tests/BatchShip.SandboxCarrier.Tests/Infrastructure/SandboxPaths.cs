namespace BatchShip.SandboxCarrier.Tests.Infrastructure;

/// <summary>Locates the built server next to the tests (the project reference copies it there).</summary>
public static class SandboxPaths
{
    public static string ServerDll
    {
        get
        {
            var local = Path.Combine(AppContext.BaseDirectory, "BatchShip.SandboxCarrier.dll");
            if (File.Exists(local) && File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json"))) return local;
            throw new FileNotFoundException("BatchShip.SandboxCarrier.dll (with its runtimeconfig) is not in the test output.", local);
        }
    }

    public static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "batchship-sandbox-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
