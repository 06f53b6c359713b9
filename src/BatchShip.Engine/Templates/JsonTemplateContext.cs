using BatchShip.Engine.Errors;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace BatchShip.Engine.Templates;

/// <summary>
/// The render context of one row. Its one change to Scriban: every value a template writes with <c>{{ }}</c> is
/// JSON-string-escaped, and may only be written inside a string literal of the output. The template's own text
/// (the JSON skeleton) is written as is. So whatever a cell holds, it can only ever become the content of a JSON
/// string: it can neither close the string nor add structure. The exception is a <see cref="JsonLiteral"/> (from the
/// num and boolean functions), written unquoted because it was checked to be a JSON number or boolean.
/// </summary>
internal sealed class JsonTemplateContext : TemplateContext
{
    private readonly JsonOutput _output;
    private readonly List<(string Column, string Value)> _reads = [];

    public JsonTemplateContext(ScriptObject builtins, string templateName, TemplateInput input, ColumnLookup columns, JsonOutput output) : base(builtins)
    {
        _output = output;
        TemplateName = templateName;
        RowNumber = input.RowNumber;
        Row = new RowColumns(input.Row, input.RowNumber, templateName, columns, RecordRead);
        PushOutput(output);
    }

    /// <summary>The row's columns, as the template sees them in <c>row</c>.</summary>
    public RowColumns Row { get; }

    public string TemplateName { get; }
    public long RowNumber { get; }

    /// <summary>Notes that a column was read, so that a function refusing a value can name its column.</summary>
    public void RecordRead(string column, string value) => _reads.Add((column, value));

    /// <summary>The column the value was most recently read from, or null when it did not come straight from one.</summary>
    public string? ColumnOf(string? value)
    {
        if (value is null) return null;
        for (var i = _reads.Count - 1; i >= 0; i--)
            if (string.Equals(_reads[i].Value, value, StringComparison.Ordinal)) return _reads[i].Column;
        return null;
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        // The one value written as is: a number or boolean that num or boolean checked (see JsonLiteral).
        if (textAsObject is JsonLiteral literal)
        {
            Write(_output.InString ? JsonText.Escape(literal.Text) : literal.Text);
            return this;
        }
        if (!_output.InString)
            throw new BatchShipException(ErrorCatalog.Template,
                $"Template '{TemplateName}' line {span.Start.Line + 1}, column {span.Start.Column + 1}: a value is written outside a JSON string. " +
                "Put quotes around it (\"{{ ... }}\"); every value is written as JSON string content.",
                null, RowNumber);
        if (textAsObject is null) return this;
        var text = ObjectToString(textAsObject, false);
        if (!string.IsNullOrEmpty(text)) Write(JsonText.Escape(text));
        return this;
    }
}
