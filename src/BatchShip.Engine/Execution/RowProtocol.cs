using System.Diagnostics;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Templates;

namespace BatchShip.Engine.Execution;

/// <summary>
/// One row through the protocol: render, wait for its turn (rate, concurrency, backoff), commit InFlight and send at
/// once, commit the outcome. Nothing waits between the InFlight commit and the send, and a send later than the
/// deadline after its commit (the runner was paused) does not happen: the row goes back to Pending unsent.
/// </summary>
internal sealed class RowProtocol(RunContext run, CarrierConnection carrier, RowCompletion completion, Reconciler reconciler)
{
    private readonly AddressCheck _addresses = new(run, carrier);

    public async Task ProcessAsync(RowRecord row)
    {
        run.Publish(new RowStarted(run.JobId, run.Now, row.RowNumber, row.Reference));

        // Step 1: render. A failure is the row's error; the carrier is never called.
        string request;
        try
        {
            // A -GroupBy group ships as its first row, carrying the whole order; its other rows move with it.
            var order = row.GroupRow is null ? new MergedOrder(row.Input, null) : OrderGroup.Merge(run.Template, run.Job.Options, row, run.Store.GroupMembers(run.JobId, row.RowNumber));
            request = RequestReference.Render(run.Template, new TemplateInput(row.RowNumber, order.Input, run.Job.Shipper, run.JobId, run.Job.Name, row.Reference,
                run.Job.Options.ColumnMap, run.Job.Options.LabelFormat, order.Packages), run.LooksUpReferences);
        }
        catch (BatchShipException e)
        {
            completion.Fail(row, RowStatus.Pending, e.For(run.JobId, row.RowNumber));
            return;
        }
        var hash = BatchExecutor.HashRequest(request);

        if (run.Job.Options.ValidateAddress)
        {
            AddressVerdict? verdict;
            try
            {
                verdict = await _addresses.CheckAsync(row, request).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (run.Dispatch.IsCancellationRequested)
            {
                return; // stopped while waiting for its turn: the row is Pending, nothing was sent
            }
            if (verdict is { StopsJob: true }) { run.StopDispatch(verdict.Error); return; }
            if (verdict is not null) { completion.Fail(row, RowStatus.Pending, verdict.Error); return; }
        }

        for (var sends = 0; ; sends++)
        {
            var session = await carrier.GetAsync(run.Cancel).ConfigureAwait(false);
            SendAttempt attempt;
            try
            {
                attempt = await run.Calls.SendAsync(row.RowNumber, () => SendOnceAsync(row, session, request, hash), run.Dispatch).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (run.Dispatch.IsCancellationRequested)
            {
                return; // stopped while waiting for its turn: the row is Pending, nothing was sent
            }

            switch (attempt)
            {
                case { Stage: SendStage.NotStarted, Begin.Kind: BeginKind.AlreadyShipped }:
                    foreach (var moved in completion.RowAndGroup(row))
                        run.Publish(new RowSkipped(run.JobId, run.Now, moved, attempt.Begin));
                    return;
                case { Stage: SendStage.NotStarted, Begin.Kind: BeginKind.Held }:
                    run.CountHeld(attempt.Begin.OtherJobId);
                    run.Publish(new RowSkipped(run.JobId, run.Now, row, attempt.Begin));
                    return;
                case { Stage: SendStage.NotStarted }:
                    return; // not Pending any more
                case { Stage: SendStage.NotSent, Outcome: CreateOutcome.Refused refused }:
                    // Not the row's fault (authentication, outage, a rate limit that outlasted the retries): nothing was
                    // made, the row is Pending again, and the job stops, resumable.
                    run.StopDispatch(refused.Error.For(run.JobId, row.RowNumber));
                    return;
                case { Stage: SendStage.NotSent }:
                    // Too late to send (this runner was held up after the InFlight commit), or fenced: Pending, unsent.
                    if (run.IsFenced || run.Dispatch.IsCancellationRequested || sends >= run.Settings.MaxResends) return;
                    continue;
            }

            var outcome = attempt.Outcome!;
            var carrierCall = new { outcome = outcome.GetType().Name, code = (outcome as CreateOutcome.Refused)?.Error.CarrierCode };
            // A created shipment's call is recorded in the Completed commit (one fsync fewer per row);
            // every other outcome is recorded on its own before the row moves.
            if (outcome is not CreateOutcome.Created) run.Audit(row.RowNumber, "CarrierCreate", carrierCall);

            switch (outcome)
            {
                case CreateOutcome.Created created:
                    completion.Complete(row, RowStatus.InFlight, created.Shipment, reconciled: false, carrierCall);
                    return;

                case CreateOutcome.Refused refused:
                    completion.Fail(row, RowStatus.InFlight, refused.Error.For(run.JobId, row.RowNumber));
                    return;

                case CreateOutcome.Unknown unknown:
                    // Step 5, ambiguous: never send again blindly. Ask the carrier for the reference.
                    run.Audit(row.RowNumber, "OutcomeUnknown", new { unknown.Reason });
                    var replace = unknown.CarrierHung || !session.IsAlive ? session : null;
                    var absent = await reconciler.ReconcileAsync(run.Store.GetRow(run.JobId, row.RowNumber), replace).ConfigureAwait(false);
                    if (!absent || sends >= run.Settings.MaxResends || run.Dispatch.IsCancellationRequested) return;
                    row = run.Store.GetRow(run.JobId, row.RowNumber);
                    if (row.Status != RowStatus.Pending) return;
                    continue; // proven absent: send it again
            }
            return;
        }
    }

    /// <summary>
    /// One attempt, run when the row's turn has come: Pending → InFlight (fenced, natural key checked), then the send,
    /// at once. A refusal that proves nothing was made puts the row back to Pending before any backoff.
    /// </summary>
    private async Task<SendAttempt> SendOnceAsync(RowRecord row, ICarrierSession session, string request, string hash)
    {
        var begin = run.Store.TryBeginInFlight(run.JobId, row.RowNumber, hash, run.Job.Options.AllowDuplicate, run.Run, run.AbsenceWindow);
        if (begin.Kind != BeginKind.Started) return new SendAttempt(SendStage.NotStarted, null, begin);
        var committedAt = Stopwatch.GetTimestamp();
        run.Settings.CrashAt?.Reached("after-inflight", row.RowNumber);
        run.Settings.StepHook?.Invoke("after-inflight", row.RowNumber);

        var late = Stopwatch.GetElapsedTime(committedAt);
        if (run.IsFenced || late > run.Settings.SendDeadline)
        {
            var why = run.IsFenced
                ? "Not sent: another runner took the job over."
                : $"Not sent: {late.TotalSeconds:0.#} s passed between the InFlight commit and the send, more than the {run.Settings.SendDeadline.TotalSeconds:0.#} s deadline.";
            run.Store.ReturnToPending(run.JobId, row.RowNumber, RowStatus.InFlight, why, run.Run);
            return new SendAttempt(SendStage.NotSent, null, begin);
        }

        CreateOutcome outcome;
        try
        {
            outcome = await session.CreateShipmentAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // whatever the client threw, the shipment may exist: treat as unknown
        catch (Exception e)
        {
            outcome = new CreateOutcome.Unknown(e.Message, e);
        }
#pragma warning restore CA1031

        if (outcome is CreateOutcome.Refused refused && (refused.Error.Error.Retryable || refused.Error.Error.IsSystemic))
        {
            // Certainly not made: Pending again before any wait, so no row ever waits while InFlight.
            run.Audit(row.RowNumber, "CarrierCreate", new { outcome = nameof(CreateOutcome.Refused), code = refused.Error.CarrierCode });
            run.Store.ReturnToPending(run.JobId, row.RowNumber, RowStatus.InFlight, refused.Error.Message, run.Run);
            return new SendAttempt(SendStage.NotSent, outcome, begin);
        }
        return new SendAttempt(SendStage.Sent, outcome, begin);
    }
}
