using System.Data.Common;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Store;

public sealed partial class BatchStore
{
    /// <summary>
    /// Records the intent to void a Completed row (a VoidRequested audit entry), durably, before the carrier is asked.
    /// The row stays Completed until the carrier's answer proves the void. A job whose runner is alive is refused
    /// (E-4005): its rows are not changed under it. A row that is not Completed is E-4004.
    /// </summary>
    public void BeginVoid(string jobId, long rowNumber) => Write(tx =>
    {
        RequireJob(tx, jobId);
        if (LiveLeases(jobId, tx) is { Count: > 0 } live)
            throw new BatchShipException(ErrorCatalog.JobBusy,
                $"Job {jobId} is being run by {DescribeRunners(live)}; its shipments cannot be voided while it runs.",
                rowNumber: rowNumber, jobId: jobId);
        var (status, shipmentId, tracking) = ReadRowForVoid(tx, jobId, rowNumber);
        if (status != RowStatus.Completed)
            throw new BatchShipException(ErrorCatalog.JobState,
                $"Row {rowNumber} of job {jobId} is {status}; only a Completed row has a shipment of its own to void.", rowNumber: rowNumber, jobId: jobId);
        AppendAudit(tx, jobId, rowNumber, "VoidRequested", new { shipmentId, trackingNumbers = Split(tracking) });
    });

    /// <summary>The carrier proved the row's shipment voided: Completed → Voided, with who and when in its message.
    /// From then on its order no longer counts as shipped. Returns false when the row was already Voided (another
    /// Undo got there first), which is no error.</summary>
    public bool MarkVoided(string jobId, long rowNumber, bool alreadyVoidedAtCarrier, string how) => Write(tx =>
    {
        var (status, shipmentId, tracking) = ReadRowForVoid(tx, jobId, rowNumber);
        if (status == RowStatus.Voided) return false;
        var now = Now;
        UpdateRow(tx, jobId, rowNumber, RowStatus.Completed, RowStatus.Voided,
            ("error_code", null), ("error_field", null), ("error_message", $"Voided by {_userName} at {FormatTime(now)}."));
        AppendAudit(tx, jobId, rowNumber, "RowVoided", new { shipmentId, trackingNumbers = Split(tracking), alreadyVoidedAtCarrier, how });
        return true;
    });

    private (RowStatus Status, string? ShipmentId, string? Tracking) ReadRowForVoid(DbTransaction tx, string jobId, long rowNumber)
    {
        using var cmd = Command("SELECT status, shipment_id, tracking_numbers FROM rows WHERE job_id = @job AND row_number = @row", tx);
        cmd.Bind("@job", jobId);
        cmd.Bind("@row", rowNumber);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
            throw new BatchShipException(ErrorCatalog.NotFound, $"Job {jobId} has no row {rowNumber}.", rowNumber: rowNumber, jobId: jobId);
        return (Enum.Parse<RowStatus>(r.GetString(0)), Str(r, 1), Str(r, 2));
    }
}
