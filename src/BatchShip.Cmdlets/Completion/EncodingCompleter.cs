using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchShip.Engine.Input;

namespace BatchShip.Cmdlets.Completion;

/// <summary>Completes the encoding names -Encoding takes, as Import-Csv does.</summary>
public sealed class EncodingCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        TextEncodings.Names
            .Where(n => n.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, $"Encoding {n}"));
}
