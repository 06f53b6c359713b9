using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Store;

/// <summary>
/// Stages the rows of a Created job as they arrive, in chunks of prepared inserts. The job is marked
/// fully staged only by <see cref="Complete"/>: a job whose staging was cut short is never run.
/// </summary>
public sealed class RowStager
{
    private const int ChunkSize = 5000;
    private readonly BatchStore _store;
    private readonly string _jobId;
    private readonly List<BatchStore.StagedRow> _chunk = new(ChunkSize);
    private bool _completed;

    internal RowStager(BatchStore store, string jobId)
    {
        _store = store;
        _jobId = jobId;
    }

    /// <summary>How many rows have been added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one row (columns in input order, values as strings); returns its row number. <paramref name="groupRow"/>
    /// is the row number of the first row of its -GroupBy group, or null when rows are not grouped.</summary>
    public long Add(IReadOnlyList<KeyValuePair<string, string>> input, string? naturalKey, long? groupRow = null)
    {
        if (_completed) throw new InvalidOperationException("Staging is complete.");
        Count++;
        _chunk.Add(new BatchStore.StagedRow(Count, RowInput.Serialize(input), naturalKey, groupRow));
        if (_chunk.Count >= ChunkSize) Flush(complete: false);
        return Count;
    }

    /// <summary>Commits the rows added so far without marking the job fully staged, so they can be read back (a quote
    /// before the prompt) while the job can still be discarded.</summary>
    public void Save()
    {
        if (_completed) throw new InvalidOperationException("Staging is complete.");
        if (_chunk.Count > 0) Flush(complete: false);
    }

    /// <summary>Commits the last chunk and marks the job fully staged (an empty job is valid and simply completes).</summary>
    public void Complete()
    {
        Flush(complete: true);
        _completed = true;
    }

    private void Flush(bool complete)
    {
        _store.InsertRows(_jobId, _chunk, complete, Count);
        _chunk.Clear();
    }
}
