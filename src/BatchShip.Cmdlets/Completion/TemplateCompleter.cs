using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchShip.Cmdlets.Loading;
using BatchShip.Engine.Templates;

namespace BatchShip.Cmdlets.Completion;

/// <summary>Completes the built-in template names.</summary>
public sealed class TemplateCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        TemplateLibrary.BuiltInNames(Path.Combine(ModuleInitializer.ModuleRoot, "templates"))
            .Where(n => n.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, $"Built-in template {n}"));
}
