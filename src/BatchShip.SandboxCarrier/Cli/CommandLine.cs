namespace BatchShip.SandboxCarrier.Cli;

/// <summary>
/// The parsed command line; Error names what was wrong when Mode is Invalid. FaultSpecification is the text
/// check-faults was given.
/// </summary>
public sealed record CommandLine(Mode Mode, string? LedgerPath = null, string? Error = null, string? FaultSpecification = null)
{
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) return new(Mode.Serve);
        if (args.Any(a => a is "--help" or "-h" or "-?" or "help")) return new(Mode.Help);
        if (args[0] == "serve" && args.Count == 1) return new(Mode.Serve);
        if (args[0] == "check-faults")
        {
            // One argument, possibly empty: an empty specification is valid and means no faults.
            return args.Count == 2
                ? new(Mode.CheckFaults, FaultSpecification: args[1])
                : new(Mode.Invalid, Error: "check-faults takes exactly one argument, the fault specification");
        }
        if (args[0] != "ledger") return new(Mode.Invalid, Error: $"unknown argument '{args[0]}'");

        string? path = null;
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == "--path" && i + 1 < args.Count && path is null) path = args[++i];
            else return new(Mode.Invalid, Error: $"unknown or incomplete argument '{args[i]}'");
        }
        return new(Mode.Ledger, path);
    }
}
