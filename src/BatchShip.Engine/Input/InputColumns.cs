using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Input;

/// <summary>
/// The names of a row's columns, checked while staging so that every result can be written after the row ships.
/// A result shows the input columns first, then the result columns; an input column named like a result column is
/// shown as <c>Input_&lt;Name&gt;</c>, and the template still reads it under its own name.
/// </summary>
public static class InputColumns
{
    /// <summary>The prefix of an input column shown under another name because a result column has its name.</summary>
    public const string RenamedPrefix = "Input_";

    /// <summary>The result columns, after the input columns, in order.</summary>
    public static IReadOnlyList<string> ResultNames { get; } =
        ["JobId", "RowNumber", "ShipmentStatus", "TrackingNumber", "ShipmentId", "Cost", "Currency", "LabelPath", "ErrorCode", "ErrorMessage", "DeliveryStatus", "DeliveredAt"];

    private static readonly HashSet<string> Reserved = new(ResultNames, StringComparer.OrdinalIgnoreCase);

    /// <summary>The name an input column is shown under in the results.</summary>
    public static string OutputName(string name) => Reserved.Contains(name.Trim()) ? RenamedPrefix + name.Trim() : name;

    /// <summary>
    /// The row without its nameless empty columns (a trailing comma in a CSV header makes one), or E-1005 when a
    /// column cannot be shown in the results: a nameless column holding a value, two columns of one name, or a
    /// column whose <c>Input_</c> name another column already has. Names are compared trimmed and without case.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Check(IReadOnlyList<KeyValuePair<string, string>> input, long rowNumber)
    {
        List<KeyValuePair<string, string>>? kept = null; // allocated only when a column is dropped
        var shownAs = new Dictionary<string, string>(input.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < input.Count; i++)
        {
            var (name, value) = input[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                if (!string.IsNullOrWhiteSpace(value))
                    throw new BatchShipException(ErrorCatalog.BadColumnName,
                        $"Column {i + 1} has no name, but row {rowNumber} has a value in it ('{Shorten(value)}'); a column without a name cannot be used by the template or shown in the results.",
                        rowNumber: rowNumber);
                kept ??= [.. input.Take(i)];
                continue;
            }
            var output = OutputName(name).Trim();
            if (!shownAs.TryAdd(output, name))
            {
                var other = shownAs[output];
                string message;
                if (Reserved.Contains(name.Trim()) || Reserved.Contains(other.Trim()))
                {
                    var (renamed, taken) = Reserved.Contains(name.Trim()) ? (name, other) : (other, name);
                    message = $"The column '{renamed.Trim()}' is shown as '{output}' in the results, because {renamed.Trim()} is a result column, but the input also has a column '{taken.Trim()}'.";
                }
                else
                {
                    message = $"Two columns have one name, '{other.Trim()}' and '{name.Trim()}' (names are compared without case); only one of them could be used and shown.";
                }
                throw new BatchShipException(ErrorCatalog.BadColumnName, message, name.Trim(), rowNumber);
            }
            kept?.Add(input[i]);
        }
        return kept ?? input;
    }

    private static string Shorten(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length <= 40 ? trimmed : trimmed[..40] + "...";
    }
}
