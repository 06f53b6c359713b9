using BatchShip.Engine.Errors;
using Scriban.Syntax;

namespace BatchShip.Engine.Templates;

/// <summary>
/// Finds, without rendering, the columns a template names: <c>row.X</c>, <c>row["X"]</c>, <c>col "X"</c> and
/// <c>required "X"</c>; which of them are required; and the aliases it declares with <c>alias "X" ["Y", "Z"]</c>.
/// So a missing column is found for the whole job before any row is staged or rendered.
/// </summary>
internal sealed class ColumnScanner : ScriptVisitor
{
    private readonly string _templateName;
    private readonly SortedSet<string> _columns = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string[]> _required = [];
    private readonly Dictionary<string, string[]> _aliases = new(StringComparer.OrdinalIgnoreCase);

    private ColumnScanner(string templateName) => _templateName = templateName;

    public static TemplateColumns Scan(string templateName, ScriptNode? page)
    {
        var scanner = new ColumnScanner(templateName);
        if (page is not null) scanner.Visit(page);
        return new TemplateColumns(scanner._columns.ToArray(), scanner._required, scanner._aliases);
    }

    public override void Visit(ScriptMemberExpression node)
    {
        if (IsRow(node.Target) && node.Member is { } member) _columns.Add(member.Name);
        base.Visit(node);
    }

    public override void Visit(ScriptIndexerExpression node)
    {
        if (IsRow(node.Target) && node.Index is ScriptLiteral { Value: string name }) _columns.Add(name);
        base.Visit(node);
    }

    public override void Visit(ScriptFunctionCall node)
    {
        switch (node.Target)
        {
            // col "X" "default": only the first argument names a column.
            case ScriptVariable { Name: TemplateFunctions.OptionalColumn }:
                AddColumns(node.Arguments.Take(1));
                break;
            // required "X" "Y": both do, and either one satisfies it.
            case ScriptVariable { Name: TemplateFunctions.RequiredColumn }:
                var group = AddColumns(node.Arguments);
                if (group.Length > 0) _required.Add(group);
                break;
            case ScriptVariable { Name: TemplateFunctions.Alias }:
                AddAlias(node);
                break;
        }
        base.Visit(node);
    }

    private string[] AddColumns(IEnumerable<ScriptExpression> arguments)
    {
        var names = arguments.OfType<ScriptLiteral>().Select(l => l.Value).OfType<string>().Where(n => n.Length > 0).ToArray();
        foreach (var name in names) _columns.Add(name);
        return names;
    }

    // The aliases are read here, once, not when the line runs: so they hold for every line of the template,
    // and a column check before staging knows them. That is why only literal names are allowed.
    private void AddAlias(ScriptFunctionCall node)
    {
        if (node.Arguments.Count != 2
            || node.Arguments[0] is not ScriptLiteral { Value: string column }
            || node.Arguments[1] is not ScriptArrayInitializerExpression list
            || list.Values.Any(v => v is not ScriptLiteral { Value: string }))
            throw Invalid(node, $"write {TemplateFunctions.Alias} \"Column\" [\"Other name\", ...] with literal names.");
        var names = list.Values.Cast<ScriptLiteral>().Select(v => ((string)v.Value!).Trim()).ToArray();
        if (!_aliases.TryAdd(column.Trim(), names))
            throw Invalid(node, $"the aliases of column '{column}' are declared twice; declare them once.");
        _columns.Add(column.Trim());
    }

    private BatchShipException Invalid(ScriptNode node, string message) =>
        new(ErrorCatalog.Template, $"Template '{_templateName}' line {node.Span.Start.Line + 1}, column {node.Span.Start.Column + 1}: {message}");

    private static bool IsRow(ScriptExpression? target) => target is ScriptVariable { Name: "row" };
}
