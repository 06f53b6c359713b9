using BatchShip.Engine.Errors;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace BatchShip.Engine.Templates;

/// <summary>
/// The <c>row</c> a template sees: the input columns by name, case-insensitive and strict. Naming a column the row
/// lacks (<c>row.Foo</c>) is E-4003 naming the column and the row, because a silently empty field would ship a
/// wrong label. Optional columns are read through the <c>col</c> function instead.
/// </summary>
internal sealed class RowColumns : ScriptObject
{
    private readonly Dictionary<string, string> _columns = new(StringComparer.OrdinalIgnoreCase);
    private readonly long _rowNumber;
    private readonly string _templateName;
    private readonly Action<string, string> _onRead;

    public RowColumns(IEnumerable<KeyValuePair<string, string>> row, long rowNumber, string templateName, Action<string, string> onRead)
    {
        _rowNumber = rowNumber;
        _templateName = templateName;
        _onRead = onRead;
        foreach (var (name, value) in row)
        {
            // The first of two columns differing only in case wins, as it would in PowerShell's own property lookup.
            if (_columns.TryAdd(name, value ?? "")) SetValue(name, value ?? "", true);
        }
        IsReadOnly = true;
    }

    /// <summary>The value of a column, or null when the row has no such column.</summary>
    public string? Find(string name)
    {
        if (!_columns.TryGetValue(name, out var value)) return null;
        _onRead(name, value);
        return value;
    }

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object value)
    {
        var found = Find(member);
        if (found is null)
            throw new BatchShipException(ErrorCatalog.Template,
                $"Template '{_templateName}' (line {span.Start.Line + 1}, column {span.Start.Column + 1}) reads column '{member}', which row {_rowNumber} does not have. " +
                $"Add the column, or read it with col \"{member}\" if it is optional.",
                member, _rowNumber);
        value = found;
        return true;
    }

    public override bool Contains(string member) => _columns.ContainsKey(member);
}
