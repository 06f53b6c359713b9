using BatchShip.Engine.Errors;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace BatchShip.Engine.Templates;

/// <summary>
/// The <c>row</c> a template sees: the input columns by name (the template's name, found in the input through
/// <see cref="ColumnLookup"/>: -ColumnMap, then the name, then its aliases), case-insensitive and strict. Naming a column the row
/// lacks (<c>row.Foo</c>) is E-4003 naming the column and the row, because a silently empty field would ship a
/// wrong label. Optional columns are read through the <c>col</c> function instead.
/// </summary>
internal sealed class RowColumns : ScriptObject
{
    private readonly Dictionary<string, string> _columns = new(StringComparer.OrdinalIgnoreCase);
    private readonly long _rowNumber;
    private readonly string _templateName;
    private readonly ColumnLookup _lookup;
    private readonly Action<string, string> _onRead;

    public RowColumns(IEnumerable<KeyValuePair<string, string>> row, long rowNumber, string templateName, ColumnLookup lookup, Action<string, string> onRead)
    {
        _rowNumber = rowNumber;
        _templateName = templateName;
        _lookup = lookup;
        _onRead = onRead;
        foreach (var (name, value) in row)
        {
            // The first of two columns differing only in case wins, as it would in PowerShell's own property lookup.
            if (_columns.TryAdd(name, value ?? "")) SetValue(name, value ?? "", true);
        }
        IsReadOnly = true;
    }

    /// <summary>The value of a column, or null when the row has no such column. Errors about the value name the
    /// input's own column, the one the clerk can find in the file.</summary>
    public string? Find(string name)
    {
        foreach (var candidate in _lookup.Candidates(name))
        {
            if (!_columns.TryGetValue(candidate, out var value)) continue;
            _onRead(candidate, value);
            return value;
        }
        return null;
    }

    /// <summary>The input column that holds <paramref name="name"/> in this row, or null.</summary>
    public string? ColumnFor(string name) => _lookup.Candidates(name).FirstOrDefault(_columns.ContainsKey);

    /// <summary>How to name a template column in a message: with the input column -ColumnMap put in its place.</summary>
    public string Describe(string name) => _lookup.MappedTo(name) is { } mapped ? $"'{mapped}' (mapped to {name})" : $"'{name}'";

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object value)
    {
        var found = Find(member);
        if (found is null)
            throw new BatchShipException(ErrorCatalog.Template,
                $"Template '{_templateName}' (line {span.Start.Line + 1}, column {span.Start.Column + 1}) reads column {Describe(member)}, which row {_rowNumber} does not have. " +
                $"Add the column, or read it with col \"{member}\" if it is optional.",
                member, _rowNumber);
        value = found;
        return true;
    }

    public override bool Contains(string member) => _lookup.Candidates(member).Any(_columns.ContainsKey);
}
