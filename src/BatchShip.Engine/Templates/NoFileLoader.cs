using BatchShip.Engine.Errors;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace BatchShip.Engine.Templates;

/// <summary>Refuses every <c>include</c>: a template is one self-contained file and never reads from disk.</summary>
internal sealed class NoFileLoader(string templateName, long rowNumber) : ITemplateLoader
{
    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName1) => throw Refuse(callerSpan, templateName1);

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => throw Refuse(callerSpan, templatePath);

    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) => throw Refuse(callerSpan, templatePath);

    private BatchShipException Refuse(SourceSpan span, string what) =>
        new(ErrorCatalog.Template,
            $"Template '{templateName}' line {span.Start.Line + 1}, column {span.Start.Column + 1}: include '{what}' is not allowed; a template cannot read files.",
            null, rowNumber);
}
