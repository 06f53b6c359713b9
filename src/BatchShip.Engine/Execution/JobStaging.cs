using BatchShip.Engine.Input;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Execution;

/// <summary>Stages rows into a new job as they arrive, with their natural keys.</summary>
public sealed class JobStaging
{
    private readonly RowStager _stager;
    private readonly PreparedBatch _batch;
    private readonly CrashPoint? _crashAt;
    private readonly DuplicateOrderCheck? _orders;
    private readonly Dictionary<string, long>? _groupLeaders;

    internal JobStaging(JobRecord job, RowStager stager, PreparedBatch batch, CrashPoint? crashAt)
    {
        Job = job;
        _stager = stager;
        _batch = batch;
        _crashAt = crashAt;
        // Under -GroupBy the rows that repeat an order are its line items, not duplicates: they ship together.
        _groupLeaders = batch.Options.GroupBy is null ? null : new Dictionary<string, long>(StringComparer.Ordinal);
        _orders = batch.Options.AllowDuplicate || _groupLeaders is not null ? null : new DuplicateOrderCheck();
    }

    public JobRecord Job { get; }

    /// <summary>Rows staged so far.</summary>
    public long Count => _stager.Count;

    /// <summary>Rows whose order key is a hash of the whole row (no -KeyProperty, no Reference value): such a row
    /// ships again when any of its columns changes, an export timestamp for instance.</summary>
    public long RowHashKeys { get; private set; }

    /// <summary>What to warn about the order keys of the rows staged so far, or null.</summary>
    public string? KeyWarning => NaturalKeys.RowHashWarning(RowHashKeys, Count);

    /// <summary>Stages one row (columns in input order, values as strings); returns its row number.
    /// A cell or row over <see cref="RowLimits"/> is refused (E-1006); nameless empty columns are dropped; a column the results cannot carry is refused (E-1005), and a row that
    /// repeats an earlier row's order is refused (E-1004) unless the job allows duplicates. Under -GroupBy a row that
    /// repeats an earlier row's group value joins that row's group instead.</summary>
    public long Add(IReadOnlyList<KeyValuePair<string, string>> input)
    {
        var rowNumber = _stager.Count + 1;
        (input, var key) = CheckRow(_batch, input, rowNumber);
        _orders?.Add(key, rowNumber, _batch.Options.KeyProperty);
        long? groupRow = null;
        if (_groupLeaders is not null)
        {
            if (!_groupLeaders.TryGetValue(key, out var leader)) _groupLeaders[key] = leader = rowNumber;
            groupRow = leader;
        }
        var row = _stager.Add(input, key, groupRow);
        if (NaturalKeys.IsRowHash(key)) RowHashKeys++;
        _crashAt?.Reached("during-staging", row);
        return row;
    }

    /// <summary>What staging checks of one row on its own (its size, its columns, its order key): the row as staged
    /// and its key, or the row's error.</summary>
    internal static (IReadOnlyList<KeyValuePair<string, string>> Row, string Key) CheckRow(PreparedBatch batch,
        IReadOnlyList<KeyValuePair<string, string>> input, long rowNumber)
    {
        RowLimits.Check(input, rowNumber);
        input = InputColumns.Check(input, rowNumber);
        return (input, batch.NaturalKey(input, rowNumber));
    }

    /// <summary>Commits the rows staged so far; the job stays Created (not fully staged), so it can still be discarded.</summary>
    public void Save() => _stager.Save();

    /// <summary>Marks the job fully staged.</summary>
    public void Complete() => _stager.Complete();
}
