namespace BatchShip.Engine.Sandbox;

/// <summary>An address as the sandbox recorded it.</summary>
public sealed record SandboxAddress(
    string Name,
    string? AttentionName,
    IReadOnlyList<string> Lines,
    string City,
    string? State,
    string? PostalCode,
    string Country)
{
    /// <summary>One line: name, street lines, city, state and postal code, country.</summary>
    public override string ToString()
    {
        var cityLine = string.Join(' ', new[] { State, PostalCode }.Where(p => !string.IsNullOrWhiteSpace(p)));
        var parts = new List<string> { Name };
        parts.AddRange(Lines.Where(l => !string.IsNullOrWhiteSpace(l)));
        parts.Add(cityLine.Length == 0 ? City : $"{City} {cityLine}");
        parts.Add(Country);
        return string.Join(", ", parts);
    }
}
