using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Execution;

/// <summary>Something that happened in a run. Every event names its job and carries its UTC time.</summary>
public abstract record BatchEvent(string JobId, DateTimeOffset At);

/// <summary>The run began: how many rows the job has and how many are left to do.</summary>
public sealed record BatchStarted(string JobId, DateTimeOffset At, long TotalRows, long RowsToDo, string Carrier, string Template, bool Resumed)
    : BatchEvent(JobId, At);

/// <summary>A worker took a row.</summary>
public sealed record RowStarted(string JobId, DateTimeOffset At, long RowNumber, string Reference) : BatchEvent(JobId, At);

/// <summary>A row is Completed: shipped now, or found at the carrier by reconciliation.</summary>
public sealed record RowCompleted(string JobId, DateTimeOffset At, RowRecord Row, bool Reconciled) : BatchEvent(JobId, At);

/// <summary>A row failed definitely; the carrier made nothing for it.</summary>
public sealed record RowFailed(string JobId, DateTimeOffset At, RowRecord Row, BatchShipException Error) : BatchEvent(JobId, At);

/// <summary>Nobody can tell whether the row shipped; a person must look.</summary>
public sealed record RowNeedsReview(string JobId, DateTimeOffset At, RowRecord Row, string Reason) : BatchEvent(JobId, At);

/// <summary>A row was not shipped because its order was shipped, or is being shipped, by another row.</summary>
public sealed record RowSkipped(string JobId, DateTimeOffset At, RowRecord Row, BeginResult Because) : BatchEvent(JobId, At);

/// <summary>The run ended with the job Completed or CompletedWithErrors.</summary>
public sealed record BatchCompleted(string JobId, DateTimeOffset At, JobSummary Summary) : BatchEvent(JobId, At);

/// <summary>The run ended with the job Failed, for the reason given.</summary>
public sealed record BatchFailed(string JobId, DateTimeOffset At, JobSummary Summary, BatchShipException Error) : BatchEvent(JobId, At);

/// <summary>The run was stopped (Ctrl+C or Stop-BatchShipment); the job is resumable.</summary>
public sealed record BatchStopped(string JobId, DateTimeOffset At, JobSummary Summary) : BatchEvent(JobId, At);

/// <summary>The carrier asked the run to slow down (a 429, or a 503 that made nothing): the run now paces its creates at
/// <see cref="RequestsPerSecond"/> (null: unpaced) with at most <see cref="Concurrency"/> in flight, and pauses for
/// <see cref="RetryAfter"/> when the carrier said how long.</summary>
public sealed record CarrierSlowedDown(string JobId, DateTimeOffset At, string Reason, double? RequestsPerSecond, int Concurrency, TimeSpan? RetryAfter)
    : BatchEvent(JobId, At);

/// <summary>A row waits <see cref="Wait"/> before its create is sent again, after a refusal that proved nothing was made
/// (a rate limit, a carrier briefly down). The row is Pending while it waits. <see cref="Attempt"/> counts the retries.</summary>
public sealed record CarrierWait(string JobId, DateTimeOffset At, long RowNumber, string Reason, TimeSpan Wait, int Attempt, int MaxAttempts)
    : BatchEvent(JobId, At);
