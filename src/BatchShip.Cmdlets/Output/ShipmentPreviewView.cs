using System.Management.Automation;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Input;

namespace BatchShip.Cmdlets.Output;

/// <summary>
/// What -Preview learns of a row, as PowerShell shows it: the input columns, then the result columns a run would fill
/// (so a preview and the run's results line up in one spreadsheet), with ShipmentStatus WouldShip, AlreadyShipped or
/// Invalid and, for a row that would not ship, the E-code and the reason.
/// </summary>
internal static class ShipmentPreviewView
{
    public const string TypeName = "BatchShip.ShipmentPreview";

    public static PSObject From(IReadOnlyList<KeyValuePair<string, string>> input, RowPreview preview)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, TypeName);
        foreach (var (name, value) in input)
        {
            if (string.IsNullOrWhiteSpace(name)) continue;
            var column = InputColumns.OutputName(name);
            if (o.Properties[column] is null) o.Properties.Add(new PSNoteProperty(column, value));
        }
        void Add(string name, object? value) => o.Properties.Add(new PSNoteProperty(name, value));
        Add("JobId", null);
        Add("RowNumber", preview.RowNumber);
        Add("ShipmentStatus", preview.Error is not null ? "Invalid" : preview.AlreadyShippedBy is not null ? "AlreadyShipped" : "WouldShip");
        Add("TrackingNumber", "");
        Add("ShipmentId", null);
        Add("Cost", null);
        Add("Currency", null);
        Add("LabelPath", "");
        Add("ErrorCode", preview.Error?.Error.Code);
        Add("ErrorMessage", preview.Error?.Message ?? (preview.AlreadyShippedBy is { } by ? $"Already shipped by {by}." : null));
        return o;
    }
}
