namespace BatchShip.Engine.Jobs;

/// <summary>
/// Who runs a job: one run (a unique id) of a process on a host. <see cref="Epoch"/> is the job's fencing token
/// when the run took the lease; a takeover raises it, and every write of an older run is refused from then on.
/// </summary>
public sealed record JobLease(
    string JobId,
    string RunId,
    long Epoch,
    int OwnerProcessId,
    string Host,
    DateTimeOffset? ProcessStartedAt,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt);
