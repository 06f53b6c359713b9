namespace BatchShip.Engine.Jobs;

/// <summary>
/// The proof a run carries with every write: its lease's run id and the job's epoch (the fencing token) when it
/// took the lease. A write whose epoch is no longer the job's fails with E-4009, and the run stops sending.
/// </summary>
public sealed record RunToken(string JobId, string RunId, long Epoch);
