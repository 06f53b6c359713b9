using System.Globalization;

namespace BatchShip.SandboxCarrier.Faults;

/// <summary>Parses "latency=150ms;rate_limit=0.2;fail_codes=120802:0.1,120500:0.05".</summary>
public static class FaultPlanParser
{
    public const string Variable = "BATCHSHIP_SANDBOX_FAULTS";
    public const string SeedVariable = "BATCHSHIP_SANDBOX_SEED";

    /// <summary>Every switch with a one-line explanation, for --help.</summary>
    public static readonly IReadOnlyList<(string Switch, string Meaning)> Switches =
    [
        ("latency=<duration>", "delay every tool call, e.g. latency=150ms or latency=1s"),
        ("jitter=<duration>", "add a random 0..jitter delay on top of latency"),
        ("rate_limit=<p>", "refuse a call with HTTP 429 / UPS 10429 \"Too Many Requests\""),
        ("auth_fail=<p>", "refuse a call with HTTP 401 / UPS 250002 \"Invalid Authentication Information\""),
        ("server_error=<p>", "create_shipment: HTTP 503 / UPS 120001, nothing is created (safe to retry)"),
        ("fail_codes=<code>:<p>[,<code>:<p>...]", "create_shipment: refuse with that UPS code (HTTP 400), nothing is created"),
        ("crash_after_create=<p>", "create_shipment: write the ledger, then kill the process without answering"),
        ("hang_after_create=<p>", "create_shipment: write the ledger, then never answer that call"),
        ("error_after_create=<p>", "create_shipment: write the ledger, then answer HTTP 500 (the process stays up)"),
        ("lookup=off|on|lie", "off: recover_label answers HTTP 503 / UPS 190001 (lookup unavailable); lie: a lookup by reference answers with the newest live shipment, whatever its reference"),
        .. ServerFaultSwitches.Switches,
    ];

    public static FaultPlan Parse(string? specification)
    {
        var plan = FaultPlan.None;
        if (string.IsNullOrWhiteSpace(specification)) return plan;

        foreach (var raw in specification.Split(';'))
        {
            var entry = raw.Trim();
            if (entry.Length == 0) continue;
            var equals = entry.IndexOf('=');
            if (equals <= 0) throw new FaultSpecException(entry, "expected name=value");
            var name = entry[..equals].Trim().ToLowerInvariant();
            var value = entry[(equals + 1)..].Trim();
            plan = name switch
            {
                "latency" => plan with { Latency = Duration(entry, value) },
                "jitter" => plan with { Jitter = Duration(entry, value) },
                "rate_limit" => plan with { RateLimit = Probability(entry, value) },
                "server_error" => plan with { ServerError = Probability(entry, value) },
                "auth_fail" => plan with { AuthFail = Probability(entry, value) },
                "crash_after_create" => plan with { CrashAfterCreate = Probability(entry, value) },
                "hang_after_create" => plan with { HangAfterCreate = Probability(entry, value) },
                "error_after_create" => plan with { ErrorAfterCreate = Probability(entry, value) },
                "fail_codes" => plan with { FailCodes = [.. plan.FailCodes, .. Codes(entry, value)] },
                "lookup" => Lookup(entry, value) switch
                {
                    "off" => plan with { LookupOff = true, LookupLies = false },
                    "lie" => plan with { LookupOff = false, LookupLies = true },
                    _ => plan with { LookupOff = false, LookupLies = false },
                },
                _ => ServerFaultSwitches.Apply(plan, name, entry, value) ?? throw new FaultSpecException(entry, $"unknown fault '{name}'"),
            };
        }
        return plan;
    }

    public static TimeSpan Duration(string entry, string value)
    {
        var (number, unit) = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (value[..^2], 1.0)
            : value.EndsWith('s') || value.EndsWith('S') ? (value[..^1], 1000.0)
            : throw new FaultSpecException(entry, "a duration needs a unit: ms or s");
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount < 0)
            throw new FaultSpecException(entry, "the duration is not a non-negative number");
        return TimeSpan.FromMilliseconds(amount * unit);
    }

    public static double Probability(string entry, string value)
    {
        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) || p is < 0 or > 1)
            throw new FaultSpecException(entry, "a probability must be a number from 0 to 1");
        return p;
    }

    private static IEnumerable<InjectedCode> Codes(string entry, string value)
    {
        var result = new List<InjectedCode>();
        foreach (var pair in value.Split(','))
        {
            var parts = pair.Trim().Split(':');
            if (parts.Length != 2 || parts[0].Length == 0 || !parts[0].All(char.IsAsciiLetterOrDigit))
                throw new FaultSpecException(entry, "expected code:probability pairs separated by commas");
            result.Add(new InjectedCode(parts[0], Probability(entry, parts[1])));
        }
        return result;
    }

    private static string Lookup(string entry, string value) => value.ToLowerInvariant() switch
    {
        var mode when mode is "off" or "on" or "lie" => mode,
        _ => throw new FaultSpecException(entry, "lookup takes off, on or lie"),
    };
}
