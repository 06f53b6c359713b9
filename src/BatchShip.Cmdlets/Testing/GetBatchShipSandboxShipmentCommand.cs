using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Loading;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Sandbox;

namespace BatchShip.Cmdlets.Testing;

/// <summary>Lists the shipments the sandbox carrier made, as its own ledger records them.</summary>
[Cmdlet(VerbsCommon.Get, "BatchShipSandboxShipment")]
[OutputType("BatchShip.SandboxShipment")]
public sealed class GetBatchShipSandboxShipmentCommand : PSCmdlet
{
    /// <summary>Only shipments carrying one of these references (BS-&lt;job&gt;-&lt;row&gt;, or a package reference).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Reference { get; set; }

    /// <summary>Only shipments of rows of these jobs.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? JobId { get; set; }

    /// <summary>The ledger file; by default the one the sandbox uses in this environment.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LedgerPath { get; set; }

    private IReadOnlyList<SandboxShipment>? _ledger;

    protected override void ProcessRecord()
    {
        try
        {
            // One read per call, however many filters come down the pipeline.
            _ledger ??= SandboxProgram.InModule(ModuleInitializer.ModuleRoot)
                .ReadLedger(LedgerPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(LedgerPath));
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, LedgerPath));
            return;
        }

        var references = Reference?.Select(r => new WildcardPattern(r, WildcardOptions.IgnoreCase)).ToArray();
        foreach (var shipment in _ledger)
        {
            if (JobId is not null && !JobId.Any(j => string.Equals(j, shipment.JobId, StringComparison.OrdinalIgnoreCase))) continue;
            if (references is not null && !references.Any(p => Carries(shipment, p))) continue;
            WriteObject(SandboxShipmentView.From(shipment));
        }
    }

    private static bool Carries(SandboxShipment shipment, WildcardPattern pattern) =>
        (shipment.CustomerContext is { } context && pattern.IsMatch(context)) || shipment.References.Any(pattern.IsMatch);
}
