namespace BatchShip.Engine.Templates;

/// <summary>What a template sees when it renders one row.</summary>
/// <param name="RowNumber">The row's 1-based number in its job.</param>
/// <param name="Row">The input columns, in input order, values as the strings they came in.</param>
/// <param name="Shipper">The shipper's keys (Name, ShipperNumber, Address1, ...).</param>
/// <param name="JobId">The job id.</param>
/// <param name="JobName">The job name.</param>
/// <param name="Reference">The row's carrier reference, at most 35 characters, unique per job and row.</param>
/// <param name="ColumnMap">Template column → input column (-ColumnMap), or null.</param>
/// <param name="LabelFormat">The label format asked for with -LabelFormat, or null for the template's own default.</param>
/// <param name="Packages">Under -PackagePerRow, the order's packages, one per row in row order (the template's
/// <c>order_packages</c>); null otherwise.</param>
public sealed record TemplateInput(
    long RowNumber,
    IReadOnlyList<KeyValuePair<string, string>> Row,
    IReadOnlyDictionary<string, string> Shipper,
    string JobId,
    string JobName,
    string Reference,
    IReadOnlyDictionary<string, string>? ColumnMap = null,
    string? LabelFormat = null,
    IReadOnlyList<OrderPackage>? Packages = null);
