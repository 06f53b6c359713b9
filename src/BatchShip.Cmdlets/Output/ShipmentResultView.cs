using System.Management.Automation;
using BatchShip.Engine.Input;
using BatchShip.Engine.Jobs;

namespace BatchShip.Cmdlets.Output;

/// <summary>
/// A row as PowerShell shows it: every input column unchanged and in order, then the result columns.
/// An input column whose name clashes with a result column is kept as <c>Input_&lt;Name&gt;</c> (see <see cref="InputColumns"/>).
/// </summary>
internal static class ShipmentResultView
{
    public const string TypeName = "BatchShip.ShipmentResult";

    public static PSObject From(RowRecord row, string? statusOverride = null, string? messageOverride = null)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, TypeName);
        foreach (var (name, value) in row.Input)
        {
            // Staging refuses names a result cannot carry (InputColumns.Check); a row staged before that check with a
            // nameless column or a taken name is still shown, without that column, rather than failing after it shipped.
            if (string.IsNullOrWhiteSpace(name)) continue;
            var column = InputColumns.OutputName(name);
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
