namespace BatchShip.Engine.Jobs;

/// <summary>What a new job needs before its rows are staged.</summary>
public sealed record NewJob(
    string? Name,
    string TemplateName,
    string TemplateSource,
    string Carrier,
    IReadOnlyDictionary<string, string> Shipper,
    string? LabelDirectory,
    JobOptions Options);
