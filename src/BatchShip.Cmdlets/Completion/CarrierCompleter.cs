using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchShip.Engine.Carriers;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Completion;

/// <summary>Completes carrier profile names: the bundled Sandbox and the profiles in the store folder.</summary>
public sealed class CarrierCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CarrierProfiles.Names(ModuleContext.StoreFolderForCompletion())
            .Where(n => n.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, $"Carrier {n}"));
}
