namespace BatchShip.Engine.Jobs;

/// <summary>A job's stored state. <c>Interrupted</c> is not stored: it is a Running job whose runner is gone.</summary>
public enum JobStatus
{
    Created,
    Running,
    Completed,
    CompletedWithErrors,
    Failed,
    Stopped,
    /// <summary>Someone cancelled it: its Pending rows were Skipped and it can never be resumed.</summary>
    Cancelled,
}
