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
