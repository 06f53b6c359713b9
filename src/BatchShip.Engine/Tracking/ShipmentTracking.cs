using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Engine.Tracking;

/// <summary>
/// Update-BatchShipmentTracking: asks each job's carrier where the packages of its Completed rows are, a few rows at a
/// time, and records the answer on each row. A row the carrier cannot track is that row's error (E-3012, or the
/// systemic code when the carrier is down or refuses the credentials); the others go on. Tracking reads, it buys
/// nothing, so it needs no lease and may run beside a job's own run.
/// </summary>
public sealed class ShipmentTracking(BatchStore store, Func<string, CarrierProfile> profileOf, CarrierSecrets? secrets = null)
{
    /// <summary>Tracks <paramref name="rows"/> (rows that are not Completed are left out), at most
    /// <paramref name="throttleLimit"/> calls at once per carrier. A carrier that has no tracking tool, or does not
    /// start, is a terminating error (E-3011, E-4013), raised before any row of it is tracked.</summary>
    public async Task<IReadOnlyList<TrackingResult>> TrackAsync(IReadOnlyList<RowRecord> rows, int throttleLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var results = new List<TrackingResult>();
        var byCarrier = rows.Where(r => r.Status == RowStatus.Completed && r.TrackingNumbers.Count > 0)
            .GroupBy(r => store.RequireJob(r.JobId).Carrier, StringComparer.OrdinalIgnoreCase);
        foreach (var group in byCarrier)
        {
            var profile = profileOf(group.Key);
            await using var session = await McpCarrierSession.StartAsync(profile, secrets, cancellationToken).ConfigureAwait(false);
            session.RequireTool(profile.TrackTool, "track", "Update-BatchShipmentTracking");
            await Parallel.ForEachAsync(group, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, throttleLimit), CancellationToken = cancellationToken },
                async (row, ct) =>
                {
                    var result = await TrackOneAsync(session, row, ct).ConfigureAwait(false);
                    lock (results) results.Add(result);
                }).ConfigureAwait(false);
        }
        return results.OrderBy(r => r.Row.JobId, StringComparer.Ordinal).ThenBy(r => r.Row.RowNumber).ToList();
    }

    // A row's delivery is its first package's: the packages of one shipment travel together.
    private async Task<TrackingResult> TrackOneAsync(ICarrierSession session, RowRecord row, CancellationToken cancellationToken)
    {
        var tracking = row.TrackingNumbers[0];
        var outcome = await session.TrackAsync(tracking, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case TrackOutcome.Tracked tracked:
                store.RecordTracking(row.JobId, row.RowNumber, tracked.Status, tracked.DeliveredAt);
                return new TrackingResult(store.GetRow(row.JobId, row.RowNumber), null);
            case TrackOutcome.Failed failed:
                var error = failed.Error.Error.IsSystemic || failed.Error.Error == ErrorCatalog.CarrierToolMissing ? failed.Error.Error : ErrorCatalog.TrackingFailed;
                return new TrackingResult(row, new BatchShipException(error, $"Package {tracking}: {failed.Error.Message}", "TrackingNumber", row.RowNumber, row.JobId)
                {
                    CarrierCode = failed.Error.CarrierCode,
                });
            default:
                throw new InvalidOperationException("Unexpected tracking outcome.");
        }
    }
}
