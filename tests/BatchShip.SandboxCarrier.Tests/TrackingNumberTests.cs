using BatchShip.SandboxCarrier.Tracking;

namespace BatchShip.SandboxCarrier.Tests;

public sealed class TrackingNumberTests
{
    [Theory]
    [InlineData("1Z5R89390357567127")]
    [InlineData("1Z999AA10123456784")]
    [InlineData("1Z12345E6605272234")]
    public void Public_samples_have_the_check_digit_the_algorithm_computes(string sample)
    {
        Assert.Equal(sample[17] - '0', TrackingNumber.CheckDigit(sample.Substring(2, 15)));
        Assert.True(TrackingNumber.IsValid(sample));
    }

    [Theory]
    [InlineData("1Z5R89390357567128")]
    [InlineData("1Z999AA10123456785")]
    [InlineData("1ZXXXXXXXXXXXXXXXX")]
    public void Wrong_check_digits_are_rejected(string candidate) => Assert.False(TrackingNumber.IsValid(candidate));

    [Fact]
    public void Created_numbers_carry_shipper_service_and_a_valid_check_digit()
    {
        var number = TrackingNumber.Create("5r8939", "03", 1);
        Assert.Equal(18, number.Length);
        Assert.StartsWith("1Z5R893903", number, StringComparison.Ordinal);
        Assert.True(TrackingNumber.IsValid(number));
    }

    [Fact]
    public void Consecutive_sequences_never_collide()
    {
        var numbers = Enumerable.Range(1, 20_000).Select(i => TrackingNumber.Create("5R8939", "03", i)).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.All(numbers.Take(100), n => Assert.True(TrackingNumber.IsValid(n)));
    }
}
