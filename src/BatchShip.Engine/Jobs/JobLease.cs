namespace BatchShip.Engine.Jobs;

/// <summary>Who runs a job: a process on a host, alive while its heartbeat is fresh.</summary>
public sealed record JobLease(string JobId, int OwnerProcessId, string Host, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt);
