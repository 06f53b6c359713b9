using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Jobs;

/// <summary>How a job ends: its final status, the error it ended with, or a note.</summary>
public sealed record JobEnding(JobStatus Status, BatchShipException? Error, string? Note);

/// <summary>What the last runner of a job decides the job's ending from, as the transaction that ends its run sees it:
/// the row counts, whether Stop-BatchShipment asked the job to stop, the error another runner stopped on (or null), and
/// why a cancel that was asked could not be done (or null).</summary>
public sealed record RunEndFacts(IReadOnlyDictionary<RowStatus, long> Counts, bool StopRequested, BatchShipException? OtherRunError, string? CancelNote)
{
    public long Count(RowStatus status) => Counts.TryGetValue(status, out var n) ? n : 0;
}

/// <summary>How a run ended: <see cref="Ending"/> is the job's ending when this run was its last runner, null when
/// <see cref="RunnersLeft"/> other runners go on (the job's ending is then theirs to write). <see cref="RowsGivenBack"/>:
/// the run did not end, for it was the last runner and rows no live run will send were left (Pending rows another runner
/// gave back after this run's last claim, or the rows of a runner found dead only now, whose leaders in flight are
/// <see cref="TakenOver"/>); it keeps its lease, settles and ships them, and ends later.</summary>
public sealed record RunEnd(JobEnding? Ending, int RunnersLeft, bool RowsGivenBack = false)
{
    public IReadOnlyList<long> TakenOver { get; init; } = [];
}
