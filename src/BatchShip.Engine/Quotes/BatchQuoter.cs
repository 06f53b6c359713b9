using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Quotes;

/// <summary>
/// Rates every row of a batch through the carrier's rate tool and buys nothing. Each row is rendered as a run would
/// render it, its rate request derived from that (<see cref="RateArguments"/>), and the calls go through the same
/// <see cref="CarrierCallPolicy"/> as creates: the same throttle, pace, retries and breaker. A quote creates nothing, so
/// a refused rate is simply retried when retrying may help, and the natural-key rule does not stop it: a row whose
/// order was already shipped is quoted and marked.
/// </summary>
internal sealed class BatchQuoter(BatchService service, ExecutorSettings settings, TimeProvider time)
{
    /// <summary>The job id quote events carry when no job exists (a -Quote run creates none).</summary>
    public const string NoJob = "quote";

    public async Task<BatchQuote> QuoteAsync(PreparedBatch batch, IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> rows,
        ICarrierSession carrier, string? jobId, Action<BatchEvent>? report, Action<RowQuote>? quoted, CancellationToken cancellationToken)
    {
        // Rendered in row order first: the order check must see rows in the order a run would stage them.
        var orders = new DuplicateOrderCheck();
        var previews = rows.Select((row, i) => service.Preview(batch, row, i + 1, orders)).ToList();

        var policy = new CarrierCallPolicy(settings, batch.Options.ThrottleLimit, batch.Options.MaxRequestsPerSecond, time,
            jobId ?? NoJob, e => report?.Invoke(e));
        var results = new RowQuote[rows.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = batch.Options.ThrottleLimit, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var preview = previews[i];
                var quote = preview.Error is { } invalid
                    ? new RowQuote(preview.RowNumber, rows[i], null, invalid, null)
                    : await RateAsync(preview, rows[i], carrier, policy, ct).ConfigureAwait(false);
                results[i] = quote;
                quoted?.Invoke(quote);
            }).ConfigureAwait(false);

        // A carrier that cannot rate at all is one error of the batch, not one per row.
        if (results.FirstOrDefault(r => r.Error?.Error == ErrorCatalog.CannotQuote) is { Error: { } cannot })
            throw new BatchShipException(cannot.Error, cannot.Message, cannot.Field, jobId: jobId);
        return new BatchQuote(results);
    }

    private static async Task<RowQuote> RateAsync(RowPreview preview, IReadOnlyList<KeyValuePair<string, string>> input,
        ICarrierSession carrier, CarrierCallPolicy policy, CancellationToken ct)
    {
        string arguments;
        try
        {
            arguments = RateArguments.FromCreateArguments(preview.RequestJson!);
        }
        catch (BatchShipException e)
        {
            return new RowQuote(preview.RowNumber, input, null, e.For(null, preview.RowNumber), preview.AlreadyShippedBy);
        }
        var outcome = await policy.QuoteAsync(preview.RowNumber, () => carrier.RateAsync(arguments, ct), ct).ConfigureAwait(false);
        return outcome switch
        {
            RateOutcome.Rated r => new RowQuote(preview.RowNumber, input, r.Rate, null, preview.AlreadyShippedBy),
            RateOutcome.Refused f => new RowQuote(preview.RowNumber, input, null, f.Error.For(null, preview.RowNumber), preview.AlreadyShippedBy),
            _ => throw new InvalidOperationException("Unexpected rate outcome."),
        };
    }
}
