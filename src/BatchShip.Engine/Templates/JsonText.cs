using System.Text.Encodings.Web;
using System.Text.Json;

namespace BatchShip.Engine.Templates;

/// <summary>JSON string escaping for values written by a template (the quotes come from the template).</summary>
internal static class JsonText
{
    /// <summary>
    /// Escapes a value for the inside of a JSON string literal: quotes, backslashes, every control character and
    /// (with the default encoder) everything outside printable ASCII, including &lt; and &gt; so that
    /// <c>&lt;/script&gt;</c> stays inert wherever the JSON is later embedded.
    /// </summary>
    public static string Escape(string value) => JsonEncodedText.Encode(value, JavaScriptEncoder.Default).ToString();
}
