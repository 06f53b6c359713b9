using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Execution;

/// <summary>What became of one row asked to be voided.</summary>
/// <param name="Row">The row as the store holds it afterwards.</param>
/// <param name="AlreadyVoided">The row was Voided already, in the store or at the carrier: harmless, nothing more happened.</param>
/// <param name="Error">Why it was not voided (the row then stays as it was), or null.</param>
public sealed record VoidResult(RowRecord Row, bool AlreadyVoided, BatchShipException? Error);

/// <summary>
/// Voids the shipments of Completed rows, one at a time, with the care of a create: the intent is recorded before the
/// carrier is asked; only the carrier's proof (a void answer, "already voided", or a lookup that finds the shipment
/// voided) makes a row Voided; an outcome nobody can settle leaves the row Completed with E-3009. A crash between the
/// void call and the Voided commit leaves the row Completed and its order shipped (the safe side): running the void
/// again settles it, since the carrier answers a second void of a voided shipment with success.
/// One carrier session per carrier name, started on first use and kept for the rest.
/// </summary>
public sealed class ShipmentVoider(BatchStore store, Func<string, CancellationToken, Task<ICarrierSession>> startCarrier) : IAsyncDisposable
{
    private readonly Dictionary<string, ICarrierSession> _sessions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Voids one row's shipment. Never throws for the row's own problems: they come back in <see cref="VoidResult.Error"/>.</summary>
    public async Task<VoidResult> VoidAsync(RowRecord row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            if (row.Status == RowStatus.Voided) return new VoidResult(row, true, null);
            if (row.ShipmentId is null)
                throw new BatchShipException(ErrorCatalog.VoidRefused, $"Row {row.RowNumber} of job {row.JobId} records no shipment id to void.");
            store.BeginVoid(row.JobId, row.RowNumber);
            var job = store.RequireJob(row.JobId);
            var outcome = await CallVoidAsync(job.Carrier, row.ShipmentId!, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case VoidOutcome.Voided voided:
                    return Voided(row, voided.AlreadyVoided, "carrier");
                case VoidOutcome.Refused refused:
                    var error = ForVoid(refused.Error).For(row.JobId, row.RowNumber);
                    store.Audit(row.JobId, row.RowNumber, "VoidRefused",
                        new { code = error.Error.Code, carrierCode = error.CarrierCode, error.Message });
                    return new VoidResult(store.GetRow(row.JobId, row.RowNumber), false, error);
                case VoidOutcome.Unknown unknown:
                    return await SettleUnknownAsync(row, job, unknown).ConfigureAwait(false);
            }
            throw new InvalidOperationException("Unexpected void outcome.");
        }
        catch (BatchShipException e)
        {
            return new VoidResult(row, false, e.For(row.JobId, row.RowNumber));
        }
    }

    // Money back is never assumed: the shipment is looked up by the row's reference, and only the carrier's "voided"
    // (UPS 300033) proves it. A live shipment, or no answer, leaves the row Completed for the user to run the void again.
    private async Task<VoidResult> SettleUnknownAsync(RowRecord row, JobRecord job, VoidOutcome.Unknown unknown)
    {
        LookupOutcome lookup;
        try
        {
            var session = await SessionAsync(job.Carrier, CancellationToken.None).ConfigureAwait(false);
            if (unknown.CarrierHung || !session.IsAlive) session = await RestartAsync(job.Carrier, session).ConfigureAwait(false);
            var shipper = job.Shipper.TryGetValue("ShipperNumber", out var number) ? number : "";
            lookup = await session.LookupByReferenceAsync(row.Reference, shipper, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BatchShipException or InvalidOperationException or IOException)
        {
            lookup = new LookupOutcome.Unavailable(e.Message);
        }
        store.Audit(row.JobId, row.RowNumber, "VoidLookup", new { outcome = lookup.GetType().Name, voided = lookup is LookupOutcome.NotFound { Voided: true }, row.Reference });
        if (lookup is LookupOutcome.NotFound { Voided: true }) return Voided(row, false, "lookup");

        var found = lookup switch
        {
            LookupOutcome.Found => "the carrier still lists the shipment as live",
            LookupOutcome.NotFound => "the carrier found no live shipment by the reference, but did not say it was voided",
            LookupOutcome.Unavailable u => $"the lookup could not answer: {u.Reason}",
            _ => "the lookup could not answer",
        };
        var error = new BatchShipException(ErrorCatalog.VoidOutcomeUnknown,
            $"The void of shipment {row.ShipmentId} (row {row.RowNumber} of job {row.JobId}, reference {row.Reference}) may or may not have taken effect: {unknown.Reason} Looked up by reference, {found}.",
            rowNumber: row.RowNumber, jobId: row.JobId);
        store.Audit(row.JobId, row.RowNumber, "VoidUnknown", new { code = error.Error.Code, error.Message });
        return new VoidResult(store.GetRow(row.JobId, row.RowNumber), false, error);
    }

    private VoidResult Voided(RowRecord row, bool alreadyAtCarrier, string how)
    {
        var changed = store.MarkVoided(row.JobId, row.RowNumber, alreadyAtCarrier, how);
        return new VoidResult(store.GetRow(row.JobId, row.RowNumber), alreadyAtCarrier || !changed, null);
    }

    private async Task<VoidOutcome> CallVoidAsync(string carrier, string shipmentId, CancellationToken cancellationToken)
    {
        var session = await SessionAsync(carrier, cancellationToken).ConfigureAwait(false);
        // A session that died since the last row never received this void: a fresh one is asked instead.
        if (!session.IsAlive) session = await RestartAsync(carrier, session).ConfigureAwait(false);
        return await session.VoidAsync(shipmentId, cancellationToken).ConfigureAwait(false);
    }

    // A carrier that cannot void right now (down, rate limited) is asked again by the user, not by a job's Resume.
    private static BatchShipException ForVoid(BatchShipException error) =>
        error.Error.Retryable
            ? new BatchShipException(error.Error, error.Message, error.Field, error.RowNumber, error.JobId)
            {
                CarrierCode = error.CarrierCode,
                Remedy = "The carrier could not void it now; nothing was voided. Run Undo-BatchShipment for the row again in a few minutes.",
            }
            : error;

    private async Task<ICarrierSession> SessionAsync(string carrier, CancellationToken cancellationToken)
    {
        if (_sessions.TryGetValue(carrier, out var session)) return session;
        session = await startCarrier(carrier, cancellationToken).ConfigureAwait(false);
        _sessions[carrier] = session;
        return session;
    }

    private async Task<ICarrierSession> RestartAsync(string carrier, ICarrierSession failed)
    {
        _sessions.Remove(carrier);
        await failed.DisposeAsync().ConfigureAwait(false);
        return await SessionAsync(carrier, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Stops every carrier started.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values) await session.DisposeAsync().ConfigureAwait(false);
        _sessions.Clear();
    }
}
