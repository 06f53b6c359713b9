using System.Globalization;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Input;

/// <summary>
/// The most one cell and one row may hold. No field of any carrier request is longer than a few hundred characters, so a
/// cell of megabytes is a broken export (a whole file pasted into a cell, a missing quote that swallowed the rest of the
/// CSV); refused while staging, it costs nothing, where accepted it would fail the whole batch later when the row is
/// stored or rendered.
/// </summary>
public static class RowLimits
{
    /// <summary>At most this many characters in one cell (and in one column name).</summary>
    public const int MaxCellLength = 32 * 1024;

    /// <summary>At most this many characters in one row, names and values together.</summary>
    public const int MaxRowLength = 1024 * 1024;

    /// <summary>Refuses (E-1006) a row with a cell or a column name over <see cref="MaxCellLength"/>, or over
    /// <see cref="MaxRowLength"/> in all, naming the row and, for a cell, its column.</summary>
    public static void Check(IReadOnlyList<KeyValuePair<string, string>> input, long rowNumber)
    {
        long total = 0;
        for (var i = 0; i < input.Count; i++)
        {
            var (name, value) = input[i];
            var nameLength = name?.Length ?? 0;
            var valueLength = value?.Length ?? 0;
            if (nameLength > MaxCellLength)
                throw new BatchShipException(ErrorCatalog.CellTooLarge,
                    $"Row {rowNumber}: the name of column {i + 1} ('{name![..40]}...') has {Count(nameLength)} characters; a column name may have at most {Count(MaxCellLength)}.",
                    rowNumber: rowNumber);
            if (valueLength > MaxCellLength)
                throw new BatchShipException(ErrorCatalog.CellTooLarge,
                    $"Row {rowNumber}, column '{name}': the cell has {Count(valueLength)} characters; a cell may have at most {Count(MaxCellLength)}.",
                    name, rowNumber);
            total += nameLength + valueLength;
        }
        if (total > MaxRowLength)
            throw new BatchShipException(ErrorCatalog.CellTooLarge,
                $"Row {rowNumber} has {Count(total)} characters in all; a row may have at most {Count(MaxRowLength)}.", rowNumber: rowNumber);
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
