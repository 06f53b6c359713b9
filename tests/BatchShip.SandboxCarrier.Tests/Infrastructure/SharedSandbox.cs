namespace BatchShip.SandboxCarrier.Tests.Infrastructure;

/// <summary>One fault-free server process shared by the tests that need no environment of their own.</summary>
public sealed class SharedSandbox : IAsyncLifetime
{
    public SandboxClient Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() => Sandbox = await SandboxClient.StartAsync();

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedSandboxCollection : ICollectionFixture<SharedSandbox>
{
    public const string Name = "shared sandbox";
}
