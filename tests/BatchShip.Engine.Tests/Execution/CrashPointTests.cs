using BatchShip.Engine.Execution;

namespace BatchShip.Engine.Tests.Execution;

public sealed class CrashPointTests
{
    private static Func<string, string?> Env(string? at, string? arm) =>
        name => name == CrashPoint.Variable ? at : name == CrashPoint.ArmVariable ? arm : null;

    [Theory]
    [InlineData("after-create:1", null)]
    [InlineData("after-create:1", "")]
    [InlineData("after-create:1", "yes")]
    [InlineData("after-create:1", "0123456789abcdef")]
    public void A_crash_point_without_its_arming_key_is_off(string at, string? arm) =>
        Assert.Null(CrashPoint.FromEnvironment(Env(at, arm)));

    [Theory]
    [InlineData("nonsense")]
    [InlineData("after-create:")]
    [InlineData("after-create:-1")]
    [InlineData("somewhere:3")]
    public void A_malformed_value_is_ignored_even_when_armed(string at) =>
        Assert.Null(CrashPoint.FromEnvironment(Env(at, CrashPoint.ArmingKey(at))));

    [Fact]
    public void An_armed_crash_point_names_its_step_and_row()
    {
        var point = CrashPoint.FromEnvironment(Env("after-label:7", CrashPoint.ArmingKey("after-label:7").ToUpperInvariant()));
        Assert.Equal(new CrashPoint("after-label", 7), point);
    }

    [Fact]
    public void The_key_of_one_value_does_not_arm_another() =>
        Assert.Null(CrashPoint.FromEnvironment(Env("after-create:2", CrashPoint.ArmingKey("after-create:1"))));
}
