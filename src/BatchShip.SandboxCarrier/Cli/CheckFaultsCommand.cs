using BatchShip.SandboxCarrier.Faults;

namespace BatchShip.SandboxCarrier.Cli;

/// <summary>
/// Parses a fault specification exactly as start-up would, without serving: lets a client (the Pester kit) refuse a
/// bad specification before any batch starts, while the vocabulary stays the sandbox's own.
/// </summary>
public static class CheckFaultsCommand
{
    public static int Run(string specification, TextWriter error)
    {
        try
        {
            FaultPlanParser.Parse(specification);
            return 0;
        }
        catch (FaultSpecException e)
        {
            error.WriteLine(e.Message);
            error.Flush();
            return 2;
        }
    }
}
