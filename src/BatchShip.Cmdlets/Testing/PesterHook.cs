using System.Collections;
using System.Management.Automation;

namespace BatchShip.Cmdlets.Testing;

/// <summary>
/// Undoes a sandbox at the end of the Pester block (BeforeAll) or test (BeforeEach, It) that made it. Pester 5 has no
/// public teardown API for commands, so this adds a plugin to the running Pester's plugin list, the way Pester's own
/// Mock and TestDrive plugins clean up; when the list is not there (another Pester version), nothing is added and
/// the sandbox is undone by its Undo method in AfterAll or AfterEach.
/// </summary>
internal static class PesterHook
{
    private static readonly string[] PluginSteps =
    [
        "Start", "DiscoveryStart", "ContainerDiscoveryStart", "BlockDiscoveryStart", "TestDiscoveryStart", "TestDiscoveryEnd",
        "BlockDiscoveryEnd", "ContainerDiscoveryEnd", "DiscoveryEnd", "RunStart", "ContainerRunStart", "OneTimeBlockSetupStart",
        "EachBlockSetupStart", "OneTimeTestSetupStart", "EachTestSetupStart", "EachTestTeardownEnd", "OneTimeTestTeardownEnd",
        "EachBlockTeardownEnd", "OneTimeBlockTeardownEnd", "ContainerRunEnd", "RunEnd", "End",
    ];

    // The inner script block closes over the scope and the frame it belongs to; Pester calls it with its context.
    private const string HookFactory = """
        param($scope, $frame, $kind)
        {
            param($Context)
            if ([object]::ReferenceEquals($Context.$kind, $frame)) { $scope.Undo() }
        }.GetNewClosure()
        """;

    /// <summary>Registers the scope's undo with the running Pester; false when not inside Pester 5.</summary>
    public static bool TryAttach(PSCmdlet cmdlet, SandboxScope scope)
    {
        if (Unwrap(cmdlet.SessionState.PSVariable.GetValue("____Pester")) is not PSObject state) return false;
        if (Unwrap(state.Properties["Plugin"]?.Value) is not IList plugins || plugins.IsFixedSize || plugins.IsReadOnly) return false;
        var test = Unwrap(state.Properties["CurrentTest"]?.Value);
        var block = Unwrap(state.Properties["CurrentBlock"]?.Value);
        var (frame, kind, step) = test is not null ? (test, "Test", "EachTestTeardownEnd") : (block, "Block", "EachBlockTeardownEnd");
        if (frame is null) return false;

        var factory = ScriptBlock.Create(HookFactory);
        var made = factory.Invoke(scope, frame, kind);
        if (made.Count != 1 || Unwrap(made[0]) is not ScriptBlock teardown) return false;

        var plugin = new PSObject();
        plugin.Properties.Add(new PSNoteProperty("Name", "BatchShip.Sandbox"));
        foreach (var name in PluginSteps) plugin.Properties.Add(new PSNoteProperty(name, name == step ? teardown : null));
        plugins.Add(plugin);
        scope.AttachHook(plugins, plugin, $"{kind} '{Name(frame)}'");
        return true;
    }

    private static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;

    private static string Name(object frame)
    {
        var properties = PSObject.AsPSObject(frame).Properties;
        var name = properties["ExpandedName"]?.Value?.ToString();
        return string.IsNullOrEmpty(name) ? properties["Name"]?.Value?.ToString() ?? "?" : name;
    }
}
