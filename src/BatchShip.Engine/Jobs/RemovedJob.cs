namespace BatchShip.Engine.Jobs;

/// <summary>What Remove-BatchJob reports of a job it removed. <see cref="KeptOrders"/> is how many of its orders still
/// count as shipped (or possibly shipped) for every later job.</summary>
public sealed record RemovedJob(
    string JobId,
    string Name,
    string Status,
    long RowCount,
    long CompletedRows,
    decimal TotalCost,
    string? Currency,
    long KeptOrders,
    DateTimeOffset RemovedAt);
