using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Jobs;

/// <summary>
/// Catches two rows of one input with the same order key while they are staged. Such rows cannot both ship
/// (the natural-key rule lets one live row per order), so without this check the second would wait for the
/// first forever (E-4008) and the job would never complete. Memory grows with the number of distinct keys of
/// one input, not with anything kept in the store.
/// </summary>
public sealed class DuplicateOrderCheck
{
    private readonly Dictionary<string, long> _firstRow = new(StringComparer.Ordinal);

    /// <summary>Records the row's key; throws E-1004 naming both rows when an earlier row had the same key.</summary>
    /// <param name="key">The row's natural key, from <see cref="NaturalKeys.For"/>.</param>
    /// <param name="rowNumber">The row being added.</param>
    /// <param name="keyColumn">The column the key was read from (-KeyProperty or Reference), for the message.</param>
    public void Add(string key, long rowNumber, string? keyColumn)
    {
        if (_firstRow.TryAdd(key, rowNumber)) return;
        var first = _firstRow[key];
        var column = string.IsNullOrWhiteSpace(keyColumn) ? NaturalKeys.DefaultColumn : keyColumn.Trim();
        var message = NaturalKeys.ValueOf(key) is { } value
            ? $"Rows {first} and {rowNumber} are the same order: both have '{value}' in the {column} column (compared without case), and a job ships each order once."
            : $"Rows {first} and {rowNumber} are identical; without a {column} column or -KeyProperty the whole row is the order, and a job ships each order once.";
        throw new BatchShipException(ErrorCatalog.DuplicateOrder, message, NaturalKeys.ValueOf(key) is null ? null : column, rowNumber);
    }
}
