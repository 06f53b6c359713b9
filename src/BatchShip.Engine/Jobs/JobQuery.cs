namespace BatchShip.Engine.Jobs;

/// <summary>Which jobs to list. Status names include <c>Interrupted</c>; name is a wildcard pattern.</summary>
public sealed record JobQuery(
    IReadOnlyCollection<string>? JobIds = null,
    IReadOnlyCollection<string>? Statuses = null,
    string? NamePattern = null,
    int? Newest = null);
