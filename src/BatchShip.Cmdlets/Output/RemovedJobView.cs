using System.Management.Automation;
using BatchShip.Engine.Jobs;

namespace BatchShip.Cmdlets.Output;

/// <summary>A removed job as PowerShell shows it: type name <c>BatchShip.RemovedJob</c>, flat properties.</summary>
internal static class RemovedJobView
{
    public const string TypeName = "BatchShip.RemovedJob";

    public static PSObject From(RemovedJob r)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, TypeName);
        void Add(string name, object? value) => o.Properties.Add(new PSNoteProperty(name, value));
        Add("JobId", r.JobId);
        Add("Name", r.Name);
        Add("Status", r.Status);
        Add("Total", r.RowCount);
        Add("Completed", r.CompletedRows);
        Add("TotalCost", r.TotalCost);
        Add("Currency", r.Currency);
        Add("KeptOrders", r.KeptOrders);
        Add("RemovedAt", r.RemovedAt.ToLocalTime());
        return o;
    }
}
