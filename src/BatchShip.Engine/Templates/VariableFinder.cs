using Scriban.Syntax;

namespace BatchShip.Engine.Templates;

/// <summary>Whether a parsed template reads a global variable anywhere, found without rendering.</summary>
internal sealed class VariableFinder : ScriptVisitor
{
    private readonly string _name;
    private bool _found;

    private VariableFinder(string name) => _name = name;

    public static bool Reads(ScriptNode? page, string name)
    {
        var finder = new VariableFinder(name);
        if (page is not null) finder.Visit(page);
        return finder._found;
    }

    public override void Visit(ScriptVariableGlobal node)
    {
        if (string.Equals(node.Name, _name, StringComparison.Ordinal)) _found = true;
        base.Visit(node);
    }
}
