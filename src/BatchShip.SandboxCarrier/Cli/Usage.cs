using System.Text;
using BatchShip.SandboxCarrier.Faults;
using BatchShip.SandboxCarrier.Ledger;

namespace BatchShip.SandboxCarrier.Cli;

public static class Usage
{
    public static string Text()
    {
        var text = new StringBuilder();
        text.AppendLine("BatchShip.SandboxCarrier - an offline carrier that speaks MCP like the UPS MCP servers.");
        text.AppendLine();
        text.AppendLine("Usage:");
        text.AppendLine("  BatchShip.SandboxCarrier                      serve MCP over stdio (default); stdout is JSON-RPC only, logs go to stderr");
        text.AppendLine("  BatchShip.SandboxCarrier ledger [--path <f>]  print one JSON object per shipment per line:");
        text.AppendLine("                                                shipmentId, trackingNumbers, references, customerContext, cost, currency, createdAt, voided");
        text.AppendLine("                                                serviceCode, serviceName, shipTo, voidedAt");
        text.AppendLine("  BatchShip.SandboxCarrier check-faults <spec>  check a fault specification without serving:");
        text.AppendLine("                                                exit 0 when it is valid, else 2 with the reason on stderr");
        text.AppendLine("  BatchShip.SandboxCarrier --help               show this help");
        text.AppendLine();
        text.AppendLine("Tools: create_shipment, void_shipment, rate_shipment, validate_address, track_package, recover_label");
        text.AppendLine("       (server=shipagent: shipping_create only; server=typescript: roscoej's create_shipment only).");
        text.AppendLine();
        text.AppendLine("Environment:");
        text.AppendLine($"  {LedgerLocation.LedgerVariable}   ledger file (default: $BATCHSHIP_HOME/sandbox/ledger.jsonl,");
        text.AppendLine("                               or LocalApplicationData/BatchShip/sandbox/ledger.jsonl)");
        text.AppendLine($"  {LedgerLocation.HomeVariable}             BatchShip data folder");
        text.AppendLine($"  {BatchShip.SandboxCarrier.Shipping.ServerAccount.Variable}         the account server=shipagent and server=typescript ship on (default {BatchShip.SandboxCarrier.Shipping.ServerAccount.Default})");
        text.AppendLine($"  {FaultPlanParser.SeedVariable}     integer seed for repeatable fault randomness");
        text.AppendLine($"  {BatchShip.SandboxCarrier.Hosting.CallLog.Variable} file to append one JSON line per tool call to (tool, outcome, code)");
        text.AppendLine($"  {FaultPlanParser.Variable}   ';'-separated faults; <p> is a per-call probability 0..1,");
        text.AppendLine("                               durations take ms or s. An unknown or malformed entry exits with code 2.");
        foreach (var (name, meaning) in FaultPlanParser.Switches)
            text.AppendLine($"      {name,-40} {meaning}");
        text.AppendLine("    latency, jitter, latency_dist, auth_fail, oauth_fail, unreachable, rate_limit, rate_cap and");
        text.AppendLine("    max_inflight apply to every tool;");
        text.AppendLine("    the others to create_shipment (lookup to recover_label). rate_cap's bucket is kept beside the ledger");
        text.AppendLine("    (<ledger>.ratecap), so every sandbox on one ledger shares one account's limit; the ledger stays the truth.");
        text.AppendLine("    Example: BATCHSHIP_SANDBOX_FAULTS=\"latency=150ms;jitter=50ms;rate_limit=0.2\"");
        text.AppendLine("    A real account: BATCHSHIP_SANDBOX_FAULTS=\"rate_cap=20/s;burst=5;latency=1s;latency_p99=4s;latency_dist=lognormal\"");
        text.AppendLine();
        text.AppendLine("Exit codes: 0 success, 2 usage or fault specification error.");
        return text.ToString();
    }
}
