using System.Management.Automation;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
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
        // Under -GroupBy, the row that carried the group's one shipment: every row of an order shows the same. Only
        // grouped jobs have the column, so the results of other jobs export as they always did.
        if (row.GroupRow is { } group) Add("GroupRow", group);
        Add("ShipmentStatus", statusOverride ?? row.Status.ToString());
        Add("TrackingNumber", string.Join(";", row.TrackingNumbers));
        // Under -GroupBy, the row's own package of the order's shipment (filled with -PackagePerRow): grouped jobs only,
        // for the same reason as GroupRow.
        if (row.GroupRow is not null) Add("PackageTrackingNumber", row.PackageTrackingNumber);
        Add("ShipmentId", row.ShipmentId);
        Add("Cost", row.Cost);
        Add("Currency", row.Currency);
        Add("LabelPath", string.Join(";", row.LabelPaths));
        // A shipment whose label only the store holds is done, but not as asked: say so in the row itself.
        var unsaved = row.Status == RowStatus.Completed && row.LabelPaths.Any(LabelWriter.IsUnsaved);
        Add("ErrorCode", unsaved ? ErrorCatalog.LabelNotSaved.Code : row.ErrorCode);
        Add("ErrorMessage", messageOverride ?? (unsaved ? UnsavedMessage(row) : row.ErrorMessage));
        // Last, so the columns of a result exported before tracking existed keep their places.
        Add("DeliveryStatus", row.DeliveryStatus);
        Add("DeliveredAt", row.DeliveredAt?.ToLocalTime());
        return o;
    }

    /// <summary>The warning for a completed row whose label is kept in the store, or null.</summary>
    public static string? UnsavedWarning(RowRecord row) =>
        row.Status == RowStatus.Completed && row.LabelPaths.Any(LabelWriter.IsUnsaved) ? UnsavedMessage(row) : null;

    private static string UnsavedMessage(RowRecord row) =>
        $"{ErrorCatalog.LabelNotSaved.Code}: row {row.RowNumber} of job {row.JobId} was shipped, but its label could not be written to the label folder. " +
        $"It is kept in the store; write it where you want with Get-BatchShipment -JobId {row.JobId} -RowNumber {row.RowNumber} -SaveLabel <folder>.";
}
