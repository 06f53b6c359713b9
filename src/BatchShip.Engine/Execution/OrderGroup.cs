using System.Globalization;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Execution;

/// <summary>
/// The rows of one -GroupBy group (the line items of one order) as the one row the template renders: the first
/// row's columns and address, and either one package whose weight is the sum of the rows' weights or, with
/// -PackagePerRow, one package per row (the template's order_packages). Rows that disagree on the address cannot make
/// one shipment: the group is refused (E-1009), naming the rows and the column.
/// </summary>
internal static class OrderGroup
{
    private const string WeightColumn = "WeightLb";
    private const string PackageCountColumn = "PackageCount";
    private static readonly string[] DimensionColumns = ["LengthIn", "WidthIn", "HeightIn"];

    /// <summary>UPS takes at most this many packages in one shipment.</summary>
    internal const int MaxPackages = 200;

    // The ship-to columns of the built-in template: one shipment has one destination.
    private static readonly string[] AddressColumns =
        ["RecipientName", "Company", "Address1", "Address2", "Address3", "City", "State", "PostalCode", "Country", "Residential"];

    /// <summary>The merged input of a group whose leader is <paramref name="leader"/> (the leader's own input when it
    /// has no other rows), with its packages under -PackagePerRow.</summary>
    public static MergedOrder Merge(ShipmentTemplate template, JobOptions options, RowRecord leader, IReadOnlyList<RowRecord> members)
    {
        var lookup = new ColumnLookup(template.Columns, options.ColumnMap);
        if (options.PackagePerRow) return PackagePerRow(lookup, options, leader, members);
        return new MergedOrder(SummedWeight(lookup, options, leader, members), null);
    }

    // One package per row, in row order, each with its row's weight and dimensions; the leader's columns for the rest.
    private static MergedOrder PackagePerRow(ColumnLookup lookup, JobOptions options, RowRecord leader, IReadOnlyList<RowRecord> members)
    {
        var rows = members.Prepend(leader).ToList();
        if (rows.Count > MaxPackages)
            throw new BatchShipException(ErrorCatalog.OrderTooLarge,
                $"The order {ValueError.Quote(Value(leader.Input, options.GroupBy ?? ""))} (-GroupBy {options.GroupBy}, rows {leader.RowNumber} to {rows[^1].RowNumber}) " +
                $"has {rows.Count} rows, so -PackagePerRow would make {rows.Count} packages; UPS takes at most {MaxPackages} in one shipment. None of them was shipped.",
                options.GroupBy, leader.RowNumber);
        CheckAddress(lookup, options, leader, members);
        var weight = Locate(lookup, WeightColumn, leader, members);
        var dimensions = DimensionColumns.Select(c => Locate(lookup, c, leader, members)).ToArray();
        var packages = new List<OrderPackage>(rows.Count);
        foreach (var row in rows)
        {
            string column = weight ?? WeightColumn;
            try
            {
                var pounds = Weights.ToPounds(weight is null ? "" : Value(row.Input, weight));
                var inches = dimensions.Select(d => d is null ? "" : Value(row.Input, d)).ToArray();
                if (inches.Any(v => v.Length == 0)) inches = ["", "", ""]; // dimensions are sent only when all three are given
                for (var i = 0; i < inches.Length; i++)
                {
                    column = dimensions[i] ?? DimensionColumns[i];
                    inches[i] = Dimensions.ToInches(inches[i]);
                }
                packages.Add(new OrderPackage(row.RowNumber, pounds, inches[0], inches[1], inches[2]));
            }
            catch (BatchShipException e)
            {
                throw new BatchShipException(e.Error, e.Message, column, row.RowNumber);
            }
        }
        return new MergedOrder(WithOnePackage(leader.Input, null), packages);
    }

    private static IReadOnlyList<KeyValuePair<string, string>> SummedWeight(ColumnLookup lookup, JobOptions options, RowRecord leader, IReadOnlyList<RowRecord> members)
    {
        if (members.Count == 0) return leader.Input;
        CheckAddress(lookup, options, leader, members);

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
        var merged = WithOnePackage(leader.Input, weight);
        merged.Add(new(weight, pounds.ToString(CultureInfo.InvariantCulture)));
        return merged;
    }

    // The leader's input as one package (PackageCount 1), without the weight column when the merge writes its own.
    private static List<KeyValuePair<string, string>> WithOnePackage(IReadOnlyList<KeyValuePair<string, string>> input, string? weight)
    {
        var merged = input.Where(c => !(weight is not null && Is(c.Key, weight)) && !Is(c.Key, PackageCountColumn)).ToList();
        merged.Add(new(PackageCountColumn, "1"));
        return merged;
    }

    private static void CheckAddress(ColumnLookup lookup, JobOptions options, RowRecord leader, IReadOnlyList<RowRecord> members)
    {
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
    }

    // The input column that holds a template column, as the template would find it in any row of the group.
    private static string? Locate(ColumnLookup lookup, string column, RowRecord leader, IReadOnlyList<RowRecord> members) =>
        lookup.Candidates(column).FirstOrDefault(c => members.Prepend(leader).Any(r => r.Input.Any(i => Is(i.Key, c))));

    private static string Value(IReadOnlyList<KeyValuePair<string, string>> input, string column) =>
        input.FirstOrDefault(c => Is(c.Key, column)).Value?.Trim() ?? "";

    private static bool Is(string name, string column) => string.Equals(name.Trim(), column.Trim(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>What the template renders for a group's leader: the merged input, and under -PackagePerRow the order's
/// packages (null otherwise).</summary>
internal sealed record MergedOrder(IReadOnlyList<KeyValuePair<string, string>> Input, IReadOnlyList<OrderPackage>? Packages);
