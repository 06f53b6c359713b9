using System.Collections;
using System.Management.Automation;
using System.Text.Json.Nodes;
using BatchShip.Cmdlets.Errors;
using BatchShip.Cmdlets.Loading;
using BatchShip.Cmdlets.Output;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;

namespace BatchShip.Cmdlets.Carriers;

/// <summary>Writes a carrier profile to the store's carriers folder: how to start its MCP server and which tools to
/// call. Environment values that are secrets must be references ($env:NAME or secret:vault/name).</summary>
[Cmdlet(VerbsLifecycle.Register, "BatchShipCarrier", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = CommandSet)]
[OutputType("BatchShip.Carrier")]
public sealed class RegisterBatchShipCarrierCommand : PSCmdlet
{
    private const string CommandSet = "Command";
    private const string PresetSet = "Preset";

    /// <summary>The carrier's name, as -Carrier will take it.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The executable that starts the carrier's MCP server over stdio.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CommandSet)]
    [ValidateNotNullOrEmpty]
    public string Command { get; set; } = "";

    /// <summary>The server's command-line arguments.</summary>
    [Parameter(ParameterSetName = CommandSet)]
    public string[]? ArgumentList { get; set; }

    /// <summary>Variables for the server's environment; a secret must be '$env:NAME' or 'secret:vault/name'.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>The tool that creates a shipment.</summary>
    [Parameter(ParameterSetName = CommandSet)]
    [ValidateNotNullOrEmpty]
    public string? CreateTool { get; set; }

    /// <summary>The tool that finds a shipment by its reference.</summary>
    [Parameter(ParameterSetName = CommandSet)]
    [ValidateNotNullOrEmpty]
    public string? LookupTool { get; set; }

    /// <summary>A built-in profile to copy.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PresetSet)]
    [ValidateNotNullOrEmpty]
    public string Preset { get; set; } = "";

    /// <summary>Replace a registered carrier of the same name.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var store = ModuleContext.StoreFolder(SessionState.Path);
        var moduleRoot = ModuleInitializer.ModuleRoot;
        try
        {
            var profile = ParameterSetName == PresetSet ? CarrierRegistry.Preset(moduleRoot, Preset) : FromParameters();
            if (Environment is not null)
            {
                var env = profile.FirstOrDefault(p => string.Equals(p.Key, "env", StringComparison.OrdinalIgnoreCase));
                if (env.Value is not JsonObject map)
                {
                    if (env.Key is not null) profile.Remove(env.Key);
                    map = new JsonObject();
                    profile["env"] = map;
                }
                foreach (DictionaryEntry e in Environment) map[e.Key.ToString()!] = e.Value?.ToString() ?? "";
            }
            var target = $"carrier '{Name}' ({CarrierRegistry.UserFolder(store)})";
            if (!ShouldProcess(target, Force ? "Register (replacing one of the same name)" : "Register")) return;
            CarrierRegistry.Register(moduleRoot, store, Name, profile, Force.IsPresent);
            var entry = CarrierRegistry.List(moduleRoot, store)
                .First(c => !c.BuiltIn && string.Equals(c.Name, Name, StringComparison.OrdinalIgnoreCase));
            WriteObject(CarrierView.From(entry));
        }
        catch (BatchShipException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, Name));
        }
    }

    private JsonObject FromParameters()
    {
        var profile = new JsonObject { ["command"] = Command };
        if (ArgumentList is { Length: > 0 }) profile["args"] = new JsonArray(ArgumentList.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
        if (CreateTool is not null || LookupTool is not null)
        {
            var tools = new JsonObject();
            if (CreateTool is not null) tools["create"] = CreateTool;
            if (LookupTool is not null) tools["lookup"] = LookupTool;
            profile["tools"] = tools;
        }
        return profile;
    }
}
