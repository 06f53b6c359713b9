using Scriban.Syntax;

namespace BatchShip.Engine.Templates;

/// <summary>Finds, without rendering, the columns a template names: <c>row.X</c>, <c>row["X"]</c> and <c>col "X"</c> / <c>required "X"</c>.</summary>
internal sealed class ColumnScanner : ScriptVisitor
{
    private readonly SortedSet<string> _columns = new(StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> Scan(ScriptNode? page)
    {
        if (page is null) return [];
        var scanner = new ColumnScanner();
        scanner.Visit(page);
        return scanner._columns.ToArray();
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
        // col "X" "default": only the first argument names a column; required "X" "Y": both do.
        var named = node.Target switch
        {
            ScriptVariable { Name: TemplateFunctions.OptionalColumn } => node.Arguments.Take(1),
            ScriptVariable { Name: TemplateFunctions.RequiredColumn } => node.Arguments,
            _ => [],
        };
        foreach (var argument in named)
            if (argument is ScriptLiteral { Value: string name } && name.Length > 0) _columns.Add(name);
        base.Visit(node);
    }

    private static bool IsRow(ScriptExpression? target) => target is ScriptVariable { Name: "row" };
}
