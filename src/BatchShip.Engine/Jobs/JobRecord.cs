namespace BatchShip.Engine.Jobs;

/// <summary>A job as the store keeps it.</summary>
public sealed record JobRecord(
    string JobId,
    string Name,
    JobStatus Status,
    string TemplateName,
    string TemplateSource,
    string Carrier,
    IReadOnlyDictionary<string, string> Shipper,
    string LabelDirectory,
    JobOptions Options,
    bool StagingComplete,
    long RowCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? LastErrorCode,
    string? LastErrorMessage,
    bool StopRequested);
