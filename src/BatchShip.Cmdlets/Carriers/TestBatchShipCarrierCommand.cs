using System.Management.Automation;
using BatchShip.Cmdlets.Completion;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Loading;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;

namespace BatchShip.Cmdlets.Carriers;

/// <summary>Starts a carrier's server and checks that it can ship: credentials present, tools offered, and with -Rate
/// one quote answered. Ships nothing.</summary>
[Cmdlet(VerbsDiagnostic.Test, "BatchShipCarrier")]
[OutputType("BatchShip.CarrierTest")]
[OutputType(typeof(bool))]
public sealed class TestBatchShipCarrierCommand : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The carrier to test.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CarrierCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Also ask the carrier for one rate quote (a 2 lb Ground parcel from Atlanta to San Francisco).</summary>
    [Parameter]
    public SwitchParameter Rate { get; set; }

    /// <summary>Return only $true when the carrier can ship, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        var store = ModuleContext.StoreFolder(SessionState.Path);
        foreach (var name in Name)
        {
            CarrierProfile profile;
            try { profile = CarrierProfiles.Resolve(name, ModuleInitializer.ModuleRoot, store); }
            catch (BatchShipException e)
            {
                if (Quiet) WriteObject(false);
                else WriteError(ErrorRecords.From(e, name));
                continue;
            }

            // Secrets are read here, on the pipeline thread (Get-Secret runs in this runspace), before the check starts.
            var secrets = VaultSecrets.For(this);
            var result = CarrierCheck.RunAsync(profile, secrets, Rate.IsPresent, System.Environment.GetEnvironmentVariable, _stop.Token)
                .GetAwaiter().GetResult();
            if (Quiet) { WriteObject(result.Passed); continue; }
            foreach (var problem in result.Problems.Where(p => p.Severity == CarrierCheck.Warning))
                WriteWarning($"Carrier '{result.Name}': {problem.What} {problem.Fix}");
            WriteObject(CarrierTestView.From(result));
        }
    }

    protected override void StopProcessing() => _stop.Cancel();
}
