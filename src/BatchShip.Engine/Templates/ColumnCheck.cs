using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Templates;

/// <summary>
/// The check of an input's columns against its template, made once for the job on the first row, before anything
/// is staged or bought: a wrong header is one mistake, so it gets one error that says everything needed to fix
/// it, instead of one error per row.
/// </summary>
public static class ColumnCheck
{
    /// <summary>
    /// Throws E-1008 when -ColumnMap names a column the template does not read or the input does not have, and
    /// E-1007 listing every required column the input lacks (with the columns found and the closest match).
    /// </summary>
    public static void Require(ShipmentTemplate template, IReadOnlyList<string> inputColumns, IReadOnlyDictionary<string, string>? columnMap)
    {
        var found = inputColumns.Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
        var present = new HashSet<string>(found, StringComparer.OrdinalIgnoreCase);
        var columns = template.Columns;
        CheckMap(template.Name, columns, found, present, columnMap);

        var lookup = new ColumnLookup(columns, columnMap);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in columns.Names.Append(NaturalKeys.DefaultColumn))
            if (lookup.Candidates(name).FirstOrDefault(present.Contains) is { } input) used.Add(input);
        var unused = found.Where(c => !used.Contains(c)).ToList();

        var missing = columns.Required.Where(group => !group.Any(name => lookup.Candidates(name).Any(present.Contains))).ToArray();
        if (missing.Length == 0) return;

        var lines = new List<string>();
        foreach (var group in missing)
        {
            var wanted = string.Join(" or ", group);
            var mapped = group.Select(lookup.MappedTo).FirstOrDefault(m => m is not null);
            var meant = ClosestMatch.Find(group.SelectMany(lookup.Candidates), unused);
            if (meant is not null)
            {
                unused.Remove(meant);
                lines.Add($"{wanted}: did you mean '{meant}'? use -ColumnMap @{{ {group[0]} = '{meant}' }}");
            }
            else
            {
                var aliases = group.SelectMany(columns.AliasesOf).ToArray();
                lines.Add(aliases.Length == 0 || mapped is not null ? wanted : $"{wanted} (also read as {string.Join(", ", aliases)})");
            }
        }
        var hint = DelimiterHint(found);
        throw new BatchShipException(ErrorCatalog.MissingColumns,
            $"The input lacks {missing.Length} required column(s) of template '{template.Name}': {string.Join("; ", lines)}. " +
            $"Columns found: {Describe(found)}." + (hint is null ? "" : $" {hint}"),
            missing[0][0]);
    }

    private static void CheckMap(string templateName, TemplateColumns columns, string[] found, HashSet<string> present, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null) return;
        // The order key column may be mapped too, though the template itself need not read it.
        var known = columns.Names.Append(NaturalKeys.DefaultColumn).ToArray();
        foreach (var (column, input) in map)
        {
            if (!known.Contains(column.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                var meant = ClosestMatch.Find(column, known);
                throw new BatchShipException(ErrorCatalog.ColumnMap,
                    $"-ColumnMap maps '{column}', which template '{templateName}' does not read" +
                    (meant is null ? $"; its columns are {string.Join(", ", known)}." : $": did you mean '{meant}'?"),
                    column.Trim());
            }
            if (!present.Contains(input.Trim()))
            {
                var meant = ClosestMatch.Find(input, found);
                throw new BatchShipException(ErrorCatalog.ColumnMap,
                    $"-ColumnMap maps {column.Trim()} to '{input}', which the input does not have" +
                    (meant is null ? "" : $": did you mean '{meant}'?") + $" Columns found: {Describe(found)}.",
                    column.Trim());
            }
        }
    }

    /// <summary>The advice for a header read as one column that holds another separator, or null.</summary>
    private static string? DelimiterHint(string[] found)
    {
        if (found.Length != 1) return null;
        var header = found[0];
        if (header.Contains(';')) return "The input looks semicolon-separated: use -Delimiter ';'.";
        if (header.Contains('\t')) return "The input looks tab-separated: use -Delimiter \"`t\".";
        if (header.Contains(',')) return "The input looks comma-separated: use -Delimiter ','.";
        if (header.Contains('|')) return "The input looks separated by '|': use -Delimiter '|'.";
        return null;
    }

    private static string Describe(string[] found) =>
        found.Length == 0 ? "(none)" : string.Join(", ", found.Select(f => "'" + (f.Length > 60 ? f[..60] + "…" : f) + "'"));
}
