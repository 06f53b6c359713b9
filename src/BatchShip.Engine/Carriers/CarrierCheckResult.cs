namespace BatchShip.Engine.Carriers;

/// <summary>One thing a carrier check found wrong, and what to do about it.</summary>
/// <param name="Severity"><c>Error</c> (shipping would fail) or <c>Warning</c> (shipping works, with a weaker guarantee).</param>
/// <param name="What">What is wrong.</param>
/// <param name="Fix">What to do about it.</param>
public sealed record CarrierProblem(string Severity, string What, string Fix)
{
    /// <inheritdoc />
    public override string ToString() => $"{Severity}: {What} Fix: {Fix}";
}

/// <summary>What <see cref="CarrierCheck"/> found about one carrier.</summary>
public sealed record CarrierCheckResult(
    string Name,
    bool Started,
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> Missing,
    bool CredentialsPresent,
    bool? RateOk,
    IReadOnlyList<CarrierProblem> Problems)
{
    /// <summary>True when nothing stands in the way of shipping (warnings allowed).</summary>
    public bool Passed => Started && Problems.All(p => p.Severity == CarrierCheck.Warning);
}
