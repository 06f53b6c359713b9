using BatchShip.Engine.Carriers;

namespace BatchShip.Engine.Tests.Carriers;

public sealed class CarrierProcessTransportTests
{
    [Fact]
    public async Task A_server_that_exits_at_once_has_its_error_output_read_even_when_its_session_is_disposed_at_once()
    {
        // Start-BatchShipment once failed with a bare ObjectDisposedException instead of E-4013 (about 2 starts in 100):
        // the task that drains stderr asked the process for its stream only when it ran, after the failed start had
        // disposed the session and the process. Many starts, each disposed at once, make that window likely.
        if (OperatingSystem.IsWindows()) return;
        var profile = new CarrierProfile("Failing", "/bin/sh") { Arguments = ["-c", "echo 'fatal: no settings' >&2; exit 7"] };
        var environment = CarrierChildEnvironment.Build(CarrierChildEnvironment.Current(), new Dictionary<string, string?>());
        for (var i = 0; i < 300; i++)
        {
            var transport = new CarrierProcessTransport(profile, environment);
            var session = await transport.ConnectAsync();
            await session.DisposeAsync(); // as a failed start does, perhaps before the server wrote anything

            var error = await Record.ExceptionAsync(() => transport.StandardErrorTailAfterExitAsync(TimeSpan.FromSeconds(5)));

            Assert.Null(error);
        }
    }
}
