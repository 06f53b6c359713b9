namespace BatchShip.SandboxCarrier.Labels;

/// <summary>Everything printed on one package label.</summary>
public sealed record LabelContent(
    LabelAddress ShipFrom,
    LabelAddress ShipTo,
    string ServiceName,
    string TrackingNumber,
    int PackageNumber,
    int PackageCount,
    string Weight,
    IReadOnlyList<string> References)
{
    /// <summary>UPS prints tracking numbers grouped: 1Z 999 AA1 01 2345 678 4.</summary>
    public string GroupedTrackingNumber => TrackingNumber.Length == 18
        ? $"{TrackingNumber[..2]} {TrackingNumber[2..5]} {TrackingNumber[5..8]} {TrackingNumber[8..10]} {TrackingNumber[10..14]} {TrackingNumber[14..17]} {TrackingNumber[17]}"
        : TrackingNumber;
}
