using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Sandbox;

/// <summary>
/// The sandbox carrier's command line, asked rather than imitated: its own parser judges fault specifications and its
/// own ledger verb reads its ledger, so the sandbox stays a stand-alone peer whose formats are its business.
/// </summary>
public sealed class SandboxProgram
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly string _assembly;

    /// <summary>A sandbox started from <paramref name="sandboxAssembly"/> (BatchShip.SandboxCarrier.dll).</summary>
    public SandboxProgram(string sandboxAssembly) => _assembly = Path.GetFullPath(sandboxAssembly);

    /// <summary>The sandbox shipped under the module root; E-4007 when it is missing.</summary>
    public static SandboxProgram InModule(string moduleRoot)
    {
        var dll = Path.Combine(moduleRoot, CarrierProfiles.SandboxRelativePath);
        if (!File.Exists(dll))
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"The sandbox carrier is missing from the module ({dll}); reinstall or rebuild the module.");
        return new SandboxProgram(dll);
    }

    /// <summary>Throws E-4030 with the sandbox's own reason unless it accepts <paramref name="specification"/>.</summary>
    public void CheckFaults(string specification)
    {
        var (exit, _, error) = Run(["check-faults", specification]);
        if (exit == 0) return;
        var reason = error.Trim();
        if (exit == 2 && reason.Length > 0)
            throw new BatchShipException(ErrorCatalog.SandboxFaults, $"The sandbox refuses the faults '{specification}': {reason}", "Faults");
        throw new BatchShipException(ErrorCatalog.SandboxUnavailable,
            string.Create(CultureInfo.InvariantCulture, $"The sandbox could not check the faults (exit code {exit}): {reason}"));
    }

    /// <summary>
    /// Every shipment in the ledger, oldest first. Without <paramref name="ledgerPath"/> the sandbox finds its ledger
    /// the way it does when it serves (BATCHSHIP_SANDBOX_LEDGER, else under BATCHSHIP_HOME).
    /// </summary>
    public IReadOnlyList<SandboxShipment> ReadLedger(string? ledgerPath = null)
    {
        string[] arguments = ledgerPath is null ? ["ledger"] : ["ledger", "--path", Path.GetFullPath(ledgerPath)];
        var (exit, output, error) = Run(arguments);
        if (exit != 0)
            throw new BatchShipException(ErrorCatalog.SandboxUnavailable,
                string.Create(CultureInfo.InvariantCulture, $"The sandbox could not read its ledger (exit code {exit}): {error.Trim()}"));
        return ParseLedger(output);
    }

    /// <summary>The ledger verb's output, one JSON object a line, as shipments.</summary>
    public static IReadOnlyList<SandboxShipment> ParseLedger(string output)
    {
        var shipments = new List<SandboxShipment>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var document = JsonDocument.Parse(line);
            shipments.Add(ReadShipment(document.RootElement));
        }
        return shipments;
    }

    private static SandboxShipment ReadShipment(JsonElement line) => new()
    {
        ShipmentId = Text(line, "shipmentId") ?? "",
        TrackingNumbers = Strings(line, "trackingNumbers"),
        References = Strings(line, "references"),
        CustomerContext = Text(line, "customerContext"),
        Cost = Text(line, "cost") is { } cost && decimal.TryParse(cost, NumberStyles.Number, CultureInfo.InvariantCulture, out var c) ? c : null,
        Currency = Text(line, "currency"),
        ServiceCode = Text(line, "serviceCode"),
        ServiceName = Text(line, "serviceName"),
        ShipTo = line.TryGetProperty("shipTo", out var to) && to.ValueKind == JsonValueKind.Object ? ReadAddress(to) : null,
        CreatedAt = Time(line, "createdAt"),
        Voided = line.TryGetProperty("voided", out var v) && v.ValueKind == JsonValueKind.True,
        VoidedAt = Time(line, "voidedAt"),
    };

    private static SandboxAddress ReadAddress(JsonElement address) => new(
        Text(address, "name") ?? "", Text(address, "attentionName"), Strings(address, "lines"), Text(address, "city") ?? "",
        Text(address, "state"), Text(address, "postalCode"), Text(address, "country") ?? "");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToArray()
            : [];

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        Text(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private (int Exit, string Output, string Error) Run(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(DotnetHost.Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(_assembly);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)
                ?? throw new BatchShipException(ErrorCatalog.SandboxUnavailable, $"The sandbox ({_assembly}) did not start.");
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new BatchShipException(ErrorCatalog.SandboxUnavailable,
                    $"The sandbox ({_assembly}) did not answer within {Timeout.TotalSeconds:0} seconds.");
            }
            return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BatchShipException(ErrorCatalog.SandboxUnavailable, $"The sandbox could not be started: {e.Message}", inner: e);
        }
    }
}
