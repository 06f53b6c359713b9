using System.Globalization;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Execution;

/// <summary>
/// The rows of one -GroupBy group (the line items of one order) as the one row the template renders: the first
/// row's columns and address, one package whose weight is the sum of the rows' weights. Rows that disagree on the
/// address cannot make one shipment: the group is refused (E-1009), naming the rows and the column.
/// </summary>
internal static class OrderGroup
{
    private const string WeightColumn = "WeightLb";
    private const string PackageCountColumn = "PackageCount";

    // The ship-to columns of the built-in template: one shipment has one destination.
    private static readonly string[] AddressColumns =
        ["RecipientName", "Company", "Address1", "Address2", "Address3", "City", "State", "PostalCode", "Country", "Residential"];

    /// <summary>The merged input of a group whose leader is <paramref name="leader"/>; the leader's own input when it
    /// has no other rows.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Merge(ShipmentTemplate template, JobOptions options,
        RowRecord leader, IReadOnlyList<RowRecord> members)
    {
        if (members.Count == 0) return leader.Input;
        var lookup = new ColumnLookup(template.Columns, options.ColumnMap);
        foreach (var column in AddressColumns)
        {
            if (Locate(lookup, column, leader, members) is not { } input) continue;
            var expected = Value(leader.Input, input);
            var differing = members.Where(m => !string.Equals(Value(m.Input, input), expected, StringComparison.OrdinalIgnoreCase)).ToList();
            if (differing.Count == 0) continue;
            var rows = string.Join(", ", new[] { leader.RowNumber }.Concat(members.Select(m => m.RowNumber)));
            var first = differing[0];
            throw new BatchShipException(ErrorCatalog.GroupAddressMismatch,
                $"Rows {rows} are one order under -GroupBy {options.GroupBy}, but they disagree on the column '{input}': " +
                $"row {leader.RowNumber} has {ValueError.Quote(expected)}, row {first.RowNumber} has {ValueError.Quote(Value(first.Input, input))}. None of them was shipped.",
                input, leader.RowNumber);
        }

        if (Locate(lookup, WeightColumn, leader, members) is not { } weight) return leader.Input; // the template says what is missing
        var pounds = 0m;
        foreach (var row in members.Prepend(leader))
        {
            try
            {
                pounds += decimal.Parse(Weights.ToPounds(Value(row.Input, weight)), CultureInfo.InvariantCulture);
            }
            catch (BatchShipException e)
            {
                throw new BatchShipException(e.Error, e.Message, weight, row.RowNumber);
            }
        }
        var merged = leader.Input.Where(c => !Is(c.Key, weight) && !Is(c.Key, PackageCountColumn)).ToList();
        merged.Add(new(weight, pounds.ToString(CultureInfo.InvariantCulture)));
        merged.Add(new(PackageCountColumn, "1"));
        return merged;
    }

    // The input column that holds a template column, as the template would find it in any row of the group.
    private static string? Locate(ColumnLookup lookup, string column, RowRecord leader, IReadOnlyList<RowRecord> members) =>
        lookup.Candidates(column).FirstOrDefault(c => members.Prepend(leader).Any(r => r.Input.Any(i => Is(i.Key, c))));

    private static string Value(IReadOnlyList<KeyValuePair<string, string>> input, string column) =>
        input.FirstOrDefault(c => Is(c.Key, column)).Value?.Trim() ?? "";

    private static bool Is(string name, string column) => string.Equals(name.Trim(), column.Trim(), StringComparison.OrdinalIgnoreCase);
}
