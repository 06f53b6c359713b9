using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Tools;

namespace BatchShip.SandboxCarrier.Protocol;

/// <summary>Which of the sandbox's tools the imitated server offers: a client that needs a tool the real server lacks
/// must find out from tools/list, as it would against the real one.</summary>
public static class ServerTools
{
    private static readonly HashSet<string> Official = new(StringComparer.Ordinal) { TrackPackageTool.Name, ValidateAddressTool.Name };

    /// <summary>True when the server of that flavour offers the tool.</summary>
    public static bool Offers(ServerFlavour server, string tool) => server switch
    {
        ServerFlavour.Official => Official.Contains(tool),
        _ => true,
    };
}
