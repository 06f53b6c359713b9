using System.Text.Json;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Execution;

/// <summary>What the address check decided about a row that may not be sent: the row's own fault (it fails), or the
/// carrier's (the row stays Pending and the job stops, resumable).</summary>
internal sealed record AddressVerdict(BatchShipException Error, bool StopsJob);

/// <summary>
/// -ValidateAddress: before a row goes in flight, its ship-to address (read from the rendered request, so any template
/// of the UPS Ship API shape works) goes through the carrier's validation tool. The row is Pending throughout: the
/// call creates nothing, so it is paced, limited and retried by the run's <see cref="CarrierCallPolicy"/> like a create
/// refused before it was made. Street-level validation covers the US and Puerto Rico only (as UPS's does); an address
/// elsewhere is shipped unvalidated, and the job's audit trail says so.
/// </summary>
internal sealed class AddressCheck(RunContext run, CarrierConnection carrier)
{
    private static readonly string[] Validated = ["US", "PR"];

    /// <summary>Null when the row may be sent; else why not.</summary>
    public async Task<AddressVerdict?> CheckAsync(RowRecord row, string request)
    {
        AddressToValidate? address;
        try { address = ShipToOf(request); }
        catch (JsonException) { address = null; }
        if (address is null)
            return new AddressVerdict(new BatchShipException(ErrorCatalog.Template,
                "-ValidateAddress needs the request's ShipTo.Address (AddressLine, City, StateProvinceCode, PostalCode, CountryCode), and the template's request has none.",
                jobId: run.JobId, rowNumber: row.RowNumber), StopsJob: false);
        if (!Validated.Contains(address.CountryCode, StringComparer.OrdinalIgnoreCase))
        {
            run.Audit(row.RowNumber, "AddressNotValidated", new { country = address.CountryCode, reason = "street-level validation covers the US and Puerto Rico only" });
            return null;
        }

        AddressValidationOutcome? outcome = null;
        var attempt = await run.Calls.SendAsync(row.RowNumber, async () =>
        {
            var session = await carrier.GetAsync(run.Dispatch).ConfigureAwait(false);
            if (!session.IsAlive) session = await carrier.RestartAsync(session, run.Dispatch).ConfigureAwait(false);
            outcome = await session.ValidateAddressAsync(address, run.Cancel).ConfigureAwait(false);
            // A failure worth asking again goes through the policy's retry, backoff and circuit breaker.
            return outcome is AddressValidationOutcome.Failed { Error.Error: { } e } failed && (e.Retryable || e.IsSystemic)
                ? new SendAttempt(SendStage.NotSent, new CreateOutcome.Refused(failed.Error))
                : new SendAttempt(SendStage.NotStarted, null);
        }, run.Dispatch).ConfigureAwait(false);

        run.Audit(row.RowNumber, "AddressValidation", new { outcome = (outcome?.GetType().Name) ?? "NotAsked" });
        if (attempt.Outcome is CreateOutcome.Refused refused)
            return new AddressVerdict(refused.Error.For(run.JobId, row.RowNumber), StopsJob: true);

        const string fields = "Address1, City, State, PostalCode";
        return outcome switch
        {
            AddressValidationOutcome.Valid => null,
            AddressValidationOutcome.Invalid => new AddressVerdict(new BatchShipException(ErrorCatalog.AddressNotConfirmed,
                $"The carrier knows no address like the ship-to address {address}; check {fields}.", fields, row.RowNumber, run.JobId), false),
            AddressValidationOutcome.Ambiguous ambiguous => new AddressVerdict(new BatchShipException(ErrorCatalog.AddressNotConfirmed,
                (ambiguous.Candidates.Count == 1
                    ? $"The carrier does not know the ship-to address {address} as written; it knows: "
                    : $"The carrier knows {ambiguous.Candidates.Count} addresses like the ship-to address {address}: ")
                + string.Join("; ", ambiguous.Candidates.Select((c, i) => $"({i + 1}) {c}"))
                + $". Put the right one in {fields}.", fields, row.RowNumber, run.JobId), false),
            AddressValidationOutcome.Failed failed => new AddressVerdict(failed.Error.For(run.JobId, row.RowNumber), false),
            _ => throw new InvalidOperationException("The address validation did not run."),
        };
    }

    /// <summary>The ShipTo address of a rendered UPS Ship request (<c>...Shipment.ShipTo.Address</c>), or null.</summary>
    public static AddressToValidate? ShipToOf(string request)
    {
        using var doc = JsonDocument.Parse(request);
        if (FindShipTo(doc.RootElement) is not { } address) return null;
        string Text(string name) => address.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : "";
        var lines = address.TryGetProperty("AddressLine", out var l)
            ? l.ValueKind switch
            {
                JsonValueKind.Array => l.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!.Trim()).ToList(),
                JsonValueKind.String => [l.GetString()!.Trim()],
                _ => [],
            }
            : [];
        return new AddressToValidate(lines.Where(x => x.Length > 0).ToList(), Text("City"), Text("StateProvinceCode"), Text("PostalCode"),
            Text("CountryCode") is { Length: > 0 } country ? country : "US");
    }

    private static JsonElement? FindShipTo(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in element.EnumerateObject())
        {
            if (p.Name == "ShipTo" && p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("Address", out var address)
                && address.ValueKind == JsonValueKind.Object)
                return address;
            if (FindShipTo(p.Value) is { } found) return found;
        }
        return null;
    }
}
