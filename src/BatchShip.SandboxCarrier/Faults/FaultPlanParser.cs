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
        ("latency_dist=fixed|lognormal", "lognormal: latency is the median, latency_p99 the 99th percentile (long tail)"),
        ("latency_p99=<duration>", "the 99th percentile of a lognormal latency (default 4 x latency)"),
        ("rate_cap=<n>/s", "the account's rate limit, shared by every sandbox on the same ledger (token bucket): a call over it gets HTTP 429 / UPS 10429, nothing is created"),
        ("burst=<k>", "calls rate_cap lets through at once after a quiet spell (the bucket's size; default one second's worth)"),
        ("retry_after=on|off", "on: a rate_cap 429 says when to come back (Retry-After, in seconds); off (default): it does not, like UPS"),
        ("sequential=on|off", "on: serve one tool call at a time, the others queued behind it on the connection, as matt-hans/ups-mcp does (a queued call's wait counts against the client's timeout)"),
        ("max_inflight=<n>", "serve at most n calls at once in this process; one more gets HTTP 503 / UPS 120001, nothing is created"),
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
                "latency_p99" => plan with { LatencyP99 = Duration(entry, value) },
                "latency_dist" => plan with { LatencyDistribution = Distribution(entry, value) },
                "rate_cap" => plan with { RateCap = PerSecond(entry, value) },
                "burst" => plan with { Burst = Count(entry, value) },
                "retry_after" => plan with { RetryAfter = OnOff(entry, value) },
                "max_inflight" => plan with { MaxInflight = Count(entry, value) },
                "sequential" => plan with { Sequential = OnOff(entry, value) },
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
        if (plan.LatencyDistribution == LatencyDistribution.Lognormal)
        {
            if (plan.Latency <= TimeSpan.Zero) throw new FaultSpecException(specification, "latency_dist=lognormal needs latency=<median> above 0");
            if (plan.LatencyP99 == TimeSpan.Zero) plan = plan with { LatencyP99 = plan.Latency * 4 };
            if (plan.LatencyP99 < plan.Latency) throw new FaultSpecException(specification, "latency_p99 must not be below latency (the median)");
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

    private static double PerSecond(string entry, string value)
    {
        var number = value.EndsWith("/s", StringComparison.OrdinalIgnoreCase) ? value[..^2]
            : throw new FaultSpecException(entry, "a rate needs its unit: <n>/s, e.g. rate_cap=20/s");
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
            throw new FaultSpecException(entry, "the rate is not a number above 0");
        return rate;
    }

    private static int Count(string entry, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new FaultSpecException(entry, "expected a whole number above 0");

    private static bool OnOff(string entry, string value) => value.ToLowerInvariant() switch
    {
        "on" => true,
        "off" => false,
        _ => throw new FaultSpecException(entry, "takes on or off"),
    };

    private static LatencyDistribution Distribution(string entry, string value) => value.ToLowerInvariant() switch
    {
        "fixed" => LatencyDistribution.Fixed,
        "lognormal" => LatencyDistribution.Lognormal,
        _ => throw new FaultSpecException(entry, "latency_dist takes fixed or lognormal"),
    };

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
