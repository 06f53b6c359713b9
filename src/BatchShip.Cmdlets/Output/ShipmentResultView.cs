using System.Management.Automation;
using BatchShip.Engine.Jobs;

namespace BatchShip.Cmdlets.Output;

/// <summary>
/// A row as PowerShell shows it: every input column unchanged and in order, then the result columns.
/// An input column whose name clashes with a result column is kept as <c>Input_&lt;Name&gt;</c>.
/// </summary>
internal static class ShipmentResultView
{
    public const string TypeName = "BatchShip.ShipmentResult";

    /// <summary>The result columns, after the input columns.</summary>
    public static readonly string[] ResultColumns =
        ["JobId", "RowNumber", "ShipmentStatus", "TrackingNumber", "ShipmentId", "Cost", "Currency", "LabelPath", "ErrorCode", "ErrorMessage"];

    private static readonly HashSet<string> Reserved = new(ResultColumns, StringComparer.OrdinalIgnoreCase);

    public static PSObject From(RowRecord row, string? statusOverride = null, string? messageOverride = null)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, TypeName);
        foreach (var (name, value) in row.Input)
        {
            var column = Reserved.Contains(name) ? "Input_" + name : name;
            if (o.Properties[column] is null) o.Properties.Add(new PSNoteProperty(column, value));
        }
        void Add(string name, object? value) => o.Properties.Add(new PSNoteProperty(name, value));
        Add("JobId", row.JobId);
        Add("RowNumber", row.RowNumber);
        Add("ShipmentStatus", statusOverride ?? row.Status.ToString());
        Add("TrackingNumber", string.Join(";", row.TrackingNumbers));
        Add("ShipmentId", row.ShipmentId);
        Add("Cost", row.Cost);
        Add("Currency", row.Currency);
        Add("LabelPath", string.Join(";", row.LabelPaths));
        Add("ErrorCode", row.ErrorCode);
        Add("ErrorMessage", messageOverride ?? row.ErrorMessage);
        return o;
    }
}
