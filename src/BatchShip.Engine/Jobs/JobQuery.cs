namespace BatchShip.Engine.Jobs;

/// <summary>Which jobs to list. Status names include <c>Interrupted</c>; name is a wildcard pattern; <paramref name="Resumable"/>
/// keeps only the jobs <see cref="JobSummary.IsResumable"/>.</summary>
public sealed record JobQuery(
    IReadOnlyCollection<string>? JobIds = null,
    IReadOnlyCollection<string>? Statuses = null,
    string? NamePattern = null,
    int? Newest = null,
    bool Resumable = false);
