using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchShip.Cmdlets.Loading;
using BatchShip.Engine.Templates;

namespace BatchShip.Cmdlets.Completion;

/// <summary>Completes the built-in template names and template files: <c>*.sbn</c> files, and folders when the value
/// looks like a path, so that <c>./tem&lt;Tab&gt;</c> walks down to a template as the file system completer would.</summary>
public sealed class TemplateCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        var builtIn = TemplateLibrary.BuiltInNames(Path.Combine(ModuleInitializer.ModuleRoot, "templates"))
            .Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, $"Built-in template {n}"));
        return builtIn.Concat(Files(wordToComplete, LooksLikePath(word)));
    }

    private static bool LooksLikePath(string word) =>
        word.IndexOfAny(['/', '\\', ':']) >= 0 || word.StartsWith('.') || word.StartsWith('~');

    // PowerShell's own file completion (provider paths, quoting of blanks, ~), kept to template files and folders.
    private static IEnumerable<CompletionResult> Files(string word, bool withFolders)
    {
        IEnumerable<CompletionResult> found;
        try
        {
            found = CompletionCompleters.CompleteFilename(word).ToArray();
        }
#pragma warning disable CA1031 // completion must never throw at the prompt
        catch (Exception)
        {
            return [];
        }
#pragma warning restore CA1031
        return found.Where(r => r.ResultType == CompletionResultType.ProviderContainer
                ? withFolders
                : r.ListItemText.EndsWith(TemplateLibrary.Extension, StringComparison.OrdinalIgnoreCase));
    }
}
