using System.Text;
using BatchShip.Engine.Errors;
using Scriban.Runtime;

namespace BatchShip.Engine.Templates;

/// <summary>
/// The rendered text, with a small JSON lexer that knows at every point whether the output is inside a string
/// literal. The template context asks it before writing a value, so that values only ever land inside quotes.
/// </summary>
internal sealed class JsonOutput(string templateName, int maxLength) : IScriptOutput
{
    private readonly StringBuilder _text = new();
    private bool _inString;
    private bool _afterBackslash;

    /// <summary>True when the next character written would be part of a JSON string literal.</summary>
    public bool InString => _inString && !_afterBackslash;

    public void Write(string text, int offset, int count)
    {
        if (_text.Length + count > maxLength)
            throw new BatchShipException(ErrorCatalog.Template,
                $"Template '{templateName}' produced more than {maxLength} characters; a loop in it probably runs away.");
        _text.Append(text, offset, count);
        for (var i = offset; i < offset + count; i++) Track(text[i]);
    }

    public ValueTask WriteAsync(string text, int offset, int count, CancellationToken cancellationToken)
    {
        Write(text, offset, count);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => _text.ToString();

    private void Track(char c)
    {
        if (!_inString)
        {
            if (c == '"') _inString = true;
            return;
        }
        if (_afterBackslash) _afterBackslash = false;
        else if (c == '\\') _afterBackslash = true;
        else if (c == '"') _inString = false;
    }
}
