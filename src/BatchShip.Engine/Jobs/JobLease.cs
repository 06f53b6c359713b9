namespace BatchShip.Engine.Jobs;

/// <summary>
/// One runner of a job: one run (a unique id) of a process on a host; a job may have several. <see cref="Epoch"/> is
/// the run's fencing token, taken from the job's epoch when the run began; a takeover deletes the lease, and every
/// write of that run is refused from then on.
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
