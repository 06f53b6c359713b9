using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Templates;

/// <summary>
/// What a template knows about its columns before any row is rendered: every column it names, the required ones
/// (each a group: any one of its names will do, as in <c>required "RecipientName" "Company"</c>), and the other
/// names a column may have in an input (<c>alias "PostalCode" ["Zip", ...]</c>).
/// </summary>
public sealed class TemplateColumns
{
    private readonly Dictionary<string, string[]> _aliases;

    internal TemplateColumns(IReadOnlyCollection<string> names, IReadOnlyList<string[]> required, Dictionary<string, string[]> aliases)
    {
        Names = names;
        Required = required;
        _aliases = aliases;
        // One input column may stand for one template column only, or a row could ship to a mixed-up address.
        var owner = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names) owner[name] = name;
        foreach (var (column, others) in aliases)
            foreach (var other in others)
                if (!owner.TryAdd(other, column) && !string.Equals(owner[other], column, StringComparison.OrdinalIgnoreCase))
                    throw new BatchShipException(ErrorCatalog.Template,
                        $"The template gives the name '{other}' to both '{owner[other]}' and '{column}'; an input column can stand for one of them only.");
    }

    /// <summary>The columns the template names, sorted.</summary>
    public IReadOnlyCollection<string> Names { get; }

    /// <summary>The required columns: in each group, one of the names must be present.</summary>
    public IReadOnlyList<string[]> Required { get; }

    /// <summary>The other names the template accepts for <paramref name="column"/>, in order of preference.</summary>
    public IReadOnlyList<string> AliasesOf(string column) => _aliases.TryGetValue(column, out var names) ? names : [];
}
