using System.Management.Automation;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Loading;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Sandbox;

namespace BatchShip.Cmdlets.Testing;

/// <summary>
/// Points this session, and every process it starts, at a throw-away store and sandbox ledger, with faults on demand.
/// </summary>
[Cmdlet(VerbsOther.Use, "BatchShipSandbox")]
[OutputType("BatchShip.SandboxScope")]
public sealed class UseBatchShipSandboxCommand : PSCmdlet
{
    private const string TestDriveName = "TestDrive";

    /// <summary>The sandbox folder; by default a new one under TestDrive: inside Pester, else in the temp folder.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The sandbox's faults, e.g. 'rate_limit=0.3;fail_codes=120802:0.1', checked by the sandbox itself.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Faults { get; set; }

    /// <summary>The seed of the sandbox's random faults, so a run repeats exactly.</summary>
    [Parameter]
    public int? Seed { get; set; }

    /// <summary>A delay on every carrier call: 150ms, 1s, a TimeSpan, or a number of milliseconds.</summary>
    [Parameter]
    [DurationTransformation]
    [ValidateNotNullOrEmpty]
    public string? Latency { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            var faults = SandboxEnvironment.FaultSpecification(Faults, Latency);
            if (faults is not null) SandboxProgram.InModule(ModuleInitializer.ModuleRoot).CheckFaults(faults);

            var testDrive = TestDriveRoot();
            var ownsFolder = Path is null && testDrive is null;
            var folder = SandboxEnvironment.PrepareFolder(Path is not null
                ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path)
                : System.IO.Path.Combine(testDrive ?? System.IO.Path.GetTempPath(), "batchship-sandbox-" + Guid.NewGuid().ToString("N")[..12]));

            var values = SandboxEnvironment.For(folder, faults, Seed);
            var saved = SandboxEnvironment.Variables.ToDictionary(name => name, Environment.GetEnvironmentVariable);
            foreach (var (name, value) in values) Environment.SetEnvironmentVariable(name, value);

            var scope = new SandboxScope(folder, SandboxEnvironment.LedgerPath(folder), faults, Seed, saved, ownsFolder);
            if (testDrive is not null && !PesterHook.TryAttach(this, scope))
                WriteWarning("This Pester cannot undo the sandbox by itself; call Undo() on the returned object in AfterAll or AfterEach.");
            WriteVerbose($"Sandbox store and ledger in {folder}" + (faults is null ? "" : $"; faults {faults}") + (Seed is null ? "" : $"; seed {Seed}") + ".");
            WriteObject(scope.ToPSObject());
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, e.Field == "Faults" ? Faults : Path));
        }
    }

    // Pester 5 maps TestDrive: to a folder of its own for the run and cleans what a block made at the block's end.
    private string? TestDriveRoot()
    {
        var drive = SessionState.Drive.GetAll().FirstOrDefault(d =>
            string.Equals(d.Name, TestDriveName, StringComparison.OrdinalIgnoreCase) && d.Provider.Name == "FileSystem");
        return drive is null ? null : drive.Root;
    }
}
