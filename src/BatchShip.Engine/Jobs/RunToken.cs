namespace BatchShip.Engine.Jobs;

/// <summary>
/// The proof a run carries with every write: its lease's run id and its fencing token (the job's epoch when it took
/// the lease). A write whose lease no longer exists with that token fails with E-4009, and the run stops sending.
/// </summary>
public sealed record RunToken(string JobId, string RunId, long Epoch);
