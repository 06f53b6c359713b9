using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Execution;

/// <summary>
/// Step 5 of the row protocol, for a row whose create outcome is unknown: ask the carrier for the row's reference.
/// Found (and truly the row's) → Completed; proven absent → Pending; cannot tell → NeedsReview. "Not found" proves
/// absence only from the row's own <see cref="RowRecord.AbsentAfter"/> on (its InFlight time plus the send deadline
/// plus the call timeout), whichever run asks and however the run that sent it ended.
/// </summary>
internal sealed class Reconciler(RunContext run, CarrierConnection carrier, RowCompletion completion)
{
    /// <summary>Settles an InFlight row. Returns true when it went back to Pending (proven absent).
    /// <paramref name="replace"/> is a session that died or hung on the row's create: a new one answers the lookup.</summary>
    public async Task<bool> ReconcileAsync(RowRecord row, ICarrierSession? replace = null)
    {
        var lookup = await LookUpAsync(row, replace).ConfigureAwait(false);
        var provable = row.AbsentAfter ?? row.UpdatedAt + run.AbsenceWindow;
        if (lookup is LookupOutcome.NotFound && provable - run.Now is var wait && wait > TimeSpan.Zero)
        {
            // The create may still be on its way (a slow carrier, a runner that died or froze after sending it).
            // Ask again once it would have landed; cancelled meanwhile, the row stays InFlight with its deadline.
            run.Audit(row.RowNumber, "LookupDeferred", new { row.Reference, until = provable });
            await Task.Delay(wait, run.Time, run.Cancel).ConfigureAwait(false);
            lookup = await LookUpAsync(row, null).ConfigureAwait(false);
        }

        if (lookup is LookupOutcome.Found candidate && Disowns(row, candidate.Shipment) is { } why)
            lookup = new LookupOutcome.Unavailable(why);

        switch (lookup)
        {
            case LookupOutcome.Found found:
                completion.Complete(row, RowStatus.InFlight, found.Shipment, reconciled: true);
                return false;
            case LookupOutcome.NotFound:
                run.Store.ReturnToPending(run.JobId, row.RowNumber, RowStatus.InFlight, "Not found at the carrier by reference.", run.Run);
                return true;
            case LookupOutcome.Unavailable unavailable:
                var reason = $"The carrier could not say whether reference {row.Reference} was shipped: {unavailable.Reason}";
                run.Store.MarkNeedsReview(run.JobId, row.RowNumber, reason, run.Run);
                foreach (var review in completion.RowAndGroup(row)) run.Publish(new RowNeedsReview(run.JobId, run.Now, review, reason));
                // A row nobody can settle counts against the error policy like a failure: under fail-fast
                // the run stops before more rows land in a person's lap.
                run.CountProblem(new BatchShipException(ErrorCatalog.OutcomeUnknown, reason, rowNumber: row.RowNumber, jobId: run.JobId));
                return false;
        }
        return false;
    }

    /// <summary>Why a shipment a lookup found cannot be this row's, or null. A carrier that answers with another
    /// shipment (a bug, a lie, a reference collision) must not mark the row shipped with someone else's label.</summary>
    private string? Disowns(RowRecord row, CreatedShipment shipment)
    {
        if (shipment.EchoedReference is { } echoed && !string.Equals(echoed, row.Reference, StringComparison.Ordinal))
            return $"the carrier answered with shipment {shipment.ShipmentId}, whose reference is {echoed}, not {row.Reference}.";
        var tracking = shipment.Packages.Select(p => p.TrackingNumber).ToList();
        if (run.Store.FindShipmentOwner(run.JobId, row.RowNumber, shipment.ShipmentId, tracking) is { } owner)
            return $"the carrier answered with shipment {shipment.ShipmentId}, which {owner} already holds.";
        return null;
    }

    private async Task<LookupOutcome> LookUpAsync(RowRecord row, ICarrierSession? replace)
    {
        LookupOutcome lookup;
        try
        {
            // A carrier that died or hung with the create cannot answer; a fresh process can. A session is replaced
            // only when it is dead or did not answer in time: a lookup that merely failed must not kill the session
            // the other workers' creates are running on.
            var session = await carrier.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (replace is not null) session = await carrier.RestartAsync(replace, CancellationToken.None).ConfigureAwait(false);
            if (!session.IsAlive) session = await carrier.RestartAsync(session, CancellationToken.None).ConfigureAwait(false);
            lookup = await session.LookupByReferenceAsync(row.Reference, run.ShipperNumber, CancellationToken.None).ConfigureAwait(false);
            if (lookup is LookupOutcome.Unavailable unavailable && (unavailable.CarrierHung || !session.IsAlive))
            {
                session = await carrier.RestartAsync(session, CancellationToken.None).ConfigureAwait(false);
                lookup = await session.LookupByReferenceAsync(row.Reference, run.ShipperNumber, CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // a lookup that cannot run cannot tell: the row needs review
        catch (Exception e)
        {
            lookup = new LookupOutcome.Unavailable(e.Message);
        }
#pragma warning restore CA1031
        run.Audit(row.RowNumber, "CarrierLookup", new { outcome = lookup.GetType().Name, row.Reference });
        return lookup;
    }
}
