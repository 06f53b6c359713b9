namespace BatchShip.Engine.Jobs;

/// <summary>What happens when a row fails.</summary>
public enum ErrorPolicy
{
    /// <summary>Fail fast: the first failed row stops dispatch (the default).</summary>
    Stop,
    /// <summary>Record the failure and go on, within <see cref="JobOptions.MaxFailures"/>.</summary>
    Continue,
}

/// <summary>How a job runs; stored with the job so that Resume runs it the same way.</summary>
public sealed record JobOptions
{
    public ErrorPolicy ErrorPolicy { get; init; } = ErrorPolicy.Stop;

    /// <summary>Under <see cref="ErrorPolicy.Continue"/>: how many failed rows the job tolerates.</summary>
    public int MaxFailures { get; init; } = int.MaxValue;

    /// <summary>How many rows may be in flight at once.</summary>
    public int ThrottleLimit { get; init; } = 1;

    /// <summary>At most this many create calls per second (for carriers with known limits); null for no cap.</summary>
    public double? MaxRequestsPerSecond { get; init; }

    /// <summary>The input column holding each row's natural key, or null for the default rule.</summary>
    public string? KeyProperty { get; init; }

    /// <summary>The input column whose value groups rows into one shipment (-GroupBy), or null to ship one per row.
    /// The group's value is also its order key.</summary>
    public string? GroupBy { get; init; }

    /// <summary>Under -GroupBy: ship the order with one package per row (each row's weight and dimensions, in row
    /// order) instead of one package with the rows' weights summed (-PackagePerRow).</summary>
    public bool PackagePerRow { get; init; }

    /// <summary>The column the order key is read from: -KeyProperty, else -GroupBy, else null for the default rule.</summary>
    public string? KeyColumn() => KeyProperty ?? GroupBy;

    /// <summary>Ship a row even when its natural key was already shipped.</summary>
    public bool AllowDuplicate { get; init; }

    /// <summary>Before a row is bought, its ship-to address goes through the carrier's address validation tool.</summary>
    public bool ValidateAddress { get; init; }

    /// <summary>
    /// Template column → input column (-ColumnMap), or null. Stored with the job, not applied to the staged rows:
    /// the rows keep the input's own column names (so the results export as they came in), and Resume renders
    /// them through the same map.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ColumnMap { get; init; }

    /// <summary>The label format asked for with -LabelFormat (GIF, PNG, PDF or ZPL), or null for the template's own
    /// default. Stored with the job, so that Resume renders the same labels.</summary>
    public string? LabelFormat { get; init; }

    /// <summary>The row's order reference as it came in (the -KeyProperty column, else Reference, under -ColumnMap),
    /// or null when the row has none.</summary>
    public string? OrderReference(IReadOnlyList<KeyValuePair<string, string>> input)
    {
        var value = NaturalKeys.Find(input, KeyProperty is { } key ? InputColumn(key) : InputColumn(NaturalKeys.DefaultColumn));
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>The input column that holds <paramref name="templateColumn"/> under -ColumnMap (itself when unmapped).</summary>
    public string InputColumn(string templateColumn)
    {
        foreach (var (column, input) in ColumnMap ?? new Dictionary<string, string>())
            if (string.Equals(column.Trim(), templateColumn.Trim(), StringComparison.OrdinalIgnoreCase)) return input.Trim();
        return templateColumn;
    }
}
