using System.Globalization;
using BatchShip.SandboxCarrier.Cli;
using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Hosting;
using BatchShip.SandboxCarrier.Ledger;

var command = CommandLine.Parse(args);
switch (command.Mode)
{
    case Mode.Help:
        Console.Out.Write(Usage.Text());
        return 0;
    case Mode.Invalid:
        Console.Error.WriteLine($"BatchShip.SandboxCarrier: {command.Error}");
        Console.Error.Write(Usage.Text());
        return 2;
    case Mode.Ledger:
        return LedgerCommand.Run(command.LedgerPath ?? LedgerLocation.Resolve(Environment.GetEnvironmentVariable), Console.Out);
    case Mode.CheckFaults:
        return CheckFaultsCommand.Run(command.FaultSpecification ?? "", Console.Error);
}

FaultPlan plan;
int? seed = null;
try
{
    plan = FaultPlanParser.Parse(Environment.GetEnvironmentVariable(FaultPlanParser.Variable));
    if (Environment.GetEnvironmentVariable(FaultPlanParser.SeedVariable) is { Length: > 0 } seedText)
    {
        if (!int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            throw new FaultSpecException(seedText, $"{FaultPlanParser.SeedVariable} must be an integer");
        seed = parsed;
    }
}
catch (FaultSpecException e)
{
    Console.Error.WriteLine($"BatchShip.SandboxCarrier: {e.Message}");
    return 2;
}

return await SandboxServer.RunAsync(plan, seed, LedgerLocation.Resolve(Environment.GetEnvironmentVariable));
