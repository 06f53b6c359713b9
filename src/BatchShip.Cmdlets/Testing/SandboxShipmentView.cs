using System.Management.Automation;
using BatchShip.Engine.Sandbox;

namespace BatchShip.Cmdlets.Testing;

/// <summary>A sandbox shipment as flat properties under the stable type name BatchShip.SandboxShipment.</summary>
internal static class SandboxShipmentView
{
    /// <summary>Joins multi-valued fields so the object survives Export-Csv.</summary>
    public const string Separator = "; ";

    public static PSObject From(SandboxShipment s)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, "BatchShip.SandboxShipment");
        void Add(string name, object? value) => o.Properties.Add(new PSNoteProperty(name, value));
        Add("Reference", s.Reference);
        Add("JobId", s.JobId);
        Add("RowNumber", s.RowNumber);
        Add("ShipmentId", s.ShipmentId);
        Add("TrackingNumber", s.TrackingNumbers.FirstOrDefault());
        Add("TrackingNumbers", string.Join(Separator, s.TrackingNumbers));
        Add("PackageCount", s.TrackingNumbers.Count);
        Add("References", string.Join(Separator, s.References));
        Add("Cost", s.Cost);
        Add("Currency", s.Currency);
        Add("Service", s.ServiceName);
        Add("ServiceCode", s.ServiceCode);
        Add("ShipTo", s.ShipTo?.ToString());
        Add("ShipToName", s.ShipTo?.Name);
        Add("ShipToCity", s.ShipTo?.City);
        Add("ShipToState", s.ShipTo?.State);
        Add("ShipToPostalCode", s.ShipTo?.PostalCode);
        Add("ShipToCountry", s.ShipTo?.Country);
        Add("Created", s.CreatedAt?.ToLocalTime());
        Add("Voided", s.Voided);
        Add("VoidedAt", s.VoidedAt?.ToLocalTime());
        return o;
    }
}
