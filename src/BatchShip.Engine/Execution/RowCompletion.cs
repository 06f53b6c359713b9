using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Execution;

/// <summary>How a row ends, whether its create answered or a lookup found it: labels on disk, then the durable
/// commit (fenced by the run's token), then the event.</summary>
internal sealed class RowCompletion(RunContext run)
{
    /// <summary>Step 4: labels on disk, then the durable Completed commit.</summary>
    public void Complete(RowRecord row, RowStatus from, CreatedShipment shipment, bool reconciled, object? carrierCall = null)
    {
        run.Settings.CrashAt?.Reached("after-create", row.RowNumber);
        IReadOnlyList<string> paths;
        // The order reference names the files, so that a person finds an order's labels; the carrier's reference else.
        var reference = run.Job.Options.OrderReference(row.Input) ?? row.Reference;
        try
        {
            paths = run.Labels.Write(run.JobId, row.RowNumber, shipment.Packages, reference);
        }
        catch (BatchShipException e)
        {
            // The shipment exists: it must be recorded, even if its label could not be saved where asked.
            // The label is paid for too: keep it in the store (private) for Get-BatchShipment -SaveLabel.
            try { paths = LabelWriter.KeepUnsaved(run.Store.Folder, run.JobId, row.RowNumber, shipment.Packages, reference); }
            catch (BatchShipException) { paths = []; }
            if (carrierCall is not null) run.Audit(row.RowNumber, "CarrierCreate", carrierCall); // keeps the trail in order
            carrierCall = null;
            run.Audit(row.RowNumber, "LabelNotWritten", new { e.Message });
        }
        run.Settings.CrashAt?.Reached("after-label", row.RowNumber);
        var facts = new ShipmentFacts(shipment.ShipmentId, shipment.Packages.Select(p => p.TrackingNumber).ToList(), shipment.Cost, shipment.Currency, paths)
        {
            PackageTrackingByRow = PackagePerRow(row, shipment),
        };
        run.Store.CompleteRow(run.JobId, row.RowNumber, from, facts, reconciled ? "Reconciled" : "Created", carrierCall, run.Run);
        foreach (var done in RowAndGroup(row)) run.Publish(new RowCompleted(run.JobId, run.Now, done, reconciled));
    }

    // Under -PackagePerRow the order's rows are its packages, in row order, and the carrier answers one result per
    // package in the order sent: row i gets package i. An answer with another count cannot be matched, so no row gets one.
    private Dictionary<long, string>? PackagePerRow(RowRecord row, CreatedShipment shipment)
    {
        if (!run.Job.Options.PackagePerRow || row.GroupRow != row.RowNumber) return null;
        var rows = run.Store.GroupMembers(run.JobId, row.RowNumber).Select(m => m.RowNumber).Prepend(row.RowNumber).ToList();
        if (rows.Count != shipment.Packages.Count) return null;
        return rows.Zip(shipment.Packages).ToDictionary(p => p.First, p => p.Second.TrackingNumber);
    }

    /// <summary>The row as stored now, then the other rows of its -GroupBy group, which moved with it: each gets its own
    /// event, so every line of an order has its result.</summary>
    public IEnumerable<RowRecord> RowAndGroup(RowRecord row)
    {
        yield return run.Store.GetRow(run.JobId, row.RowNumber);
        if (row.GroupRow != row.RowNumber) yield break;
        foreach (var member in run.Store.GroupMembers(run.JobId, row.RowNumber)) yield return member;
    }

    /// <summary>A definite failure of the row: recorded, reported, counted against the error policy.</summary>
    public void Fail(RowRecord row, RowStatus from, BatchShipException error)
    {
        run.Store.FailRow(run.JobId, row.RowNumber, from, error, run.Run);
        foreach (var failed in RowAndGroup(row)) run.Publish(new RowFailed(run.JobId, run.Now, failed, error.For(null, failed.RowNumber)));
        run.CountProblem(error);
    }
}
