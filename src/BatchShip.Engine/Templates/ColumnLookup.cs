namespace BatchShip.Engine.Templates;

/// <summary>
/// Where a column the template reads is found in an input: the column -ColumnMap names for it when mapped (and
/// only there: the user said so), else the column of its own name, else the first of its declared aliases.
/// </summary>
internal sealed class ColumnLookup
{
    private readonly TemplateColumns _columns;
    private readonly Dictionary<string, string> _map;

    public ColumnLookup(TemplateColumns columns, IReadOnlyDictionary<string, string>? map)
    {
        _columns = columns;
        _map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (column, input) in map ?? new Dictionary<string, string>()) _map[column.Trim()] = input.Trim();
    }

    /// <summary>The input column names that may hold <paramref name="column"/>, in order of preference.</summary>
    public IReadOnlyList<string> Candidates(string column) =>
        _map.TryGetValue(column, out var mapped) ? [mapped] : [column, .. _columns.AliasesOf(column)];

    /// <summary>The input column <paramref name="column"/> was mapped to, or null.</summary>
    public string? MappedTo(string column) => _map.GetValueOrDefault(column);
}
