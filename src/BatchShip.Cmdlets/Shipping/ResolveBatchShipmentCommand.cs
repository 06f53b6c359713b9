using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Shipping;

/// <summary>Records a person's decision on a row that needs review: it shipped (with this tracking number), or it did not.</summary>
[Cmdlet(VerbsDiagnostic.Resolve, "BatchShipment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ShippedSet)]
[OutputType("BatchShip.ShipmentResult")]
public sealed class ResolveBatchShipmentCommand : PSCmdlet
{
    private const string ShippedSet = "Shipped";
    private const string NotShippedSet = "NotShipped";

    /// <summary>The job.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>The row that needs review.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public long RowNumber { get; set; }

    /// <summary>It did ship: the carrier's tracking number (several separated by ';' for a multi-package shipment).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ShippedSet)]
    [ValidatePattern("^[A-Za-z0-9]{8,40}(;[A-Za-z0-9]{8,40})*$")]
    public string? TrackingNumber { get; set; }

    /// <summary>It did not ship: the next Resume ships it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NotShippedSet)]
    public SwitchParameter NotShipped { get; set; }

    protected override void ProcessRecord()
    {
        using var store = ModuleContext.OpenStore(this);
        try
        {
            var decision = NotShipped ? "Mark as not shipped (it will be shipped by the next Resume)" : $"Mark as shipped with tracking number {TrackingNumber}";
            if (!ShouldProcess($"job {JobId} row {RowNumber}", decision)) return;
            if (NotShipped) store.ResolveAsNotShipped(JobId!, RowNumber);
            else store.ResolveAsShipped(JobId!, RowNumber, TrackingNumber!);
            WriteObject(ShipmentResultView.From(store.GetRow(JobId!, RowNumber)));
        }
        catch (BatchShipException e)
        {
            WriteError(ErrorRecords.From(e.For(JobId, RowNumber), JobId));
        }
    }
}
