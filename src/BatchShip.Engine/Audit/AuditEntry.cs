namespace BatchShip.Engine.Audit;

/// <summary>One append-only audit entry: who did what to which job and row, when.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string? JobId, long? RowNumber, string Event, string? DetailJson, string UserName);
