using System.Text;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Makes a carrier's own words safe to store, show and log: every secret the profile handed the carrier (each
/// <c>$env:NAME</c> value) is replaced by <c>***</c>, because a server may echo its credentials in an error, and the
/// text is cut to <see cref="MaxChars"/>, because a 20 MB error must not land in the store three times over.
/// </summary>
public sealed class CarrierText
{
    /// <summary>The longest carrier text kept in a message.</summary>
    public const int MaxChars = 2000;

    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    private readonly string[] _secrets;

    /// <param name="secrets">The values to mask; empty ones are ignored.</param>
    public CarrierText(IEnumerable<string> secrets) =>
        // Longest first, so a secret that contains another is masked whole.
        _secrets = secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();

    /// <summary>Masks nothing; only caps.</summary>
    public static CarrierText None { get; } = new([]);

    /// <summary>The text with every secret masked (also in its JSON-escaped form) and cut to <see cref="MaxChars"/>.</summary>
    public string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        // Cut first (with room for a secret that straddles the cut), so masking never walks megabytes.
        var room = MaxChars + (_secrets.Length == 0 ? 0 : _secrets[0].Length * 6);
        var cut = text.Length > room ? text[..room] : text;
        var masked = MaskAll(cut);
        return masked.Length <= MaxChars ? masked : masked[..MaxChars] + $"... ({text.Length} characters in all)";
    }

    /// <summary>The text with every secret masked, at any length (for text that must stay whole, e.g. JSON to parse).</summary>
    public string MaskAll(string text)
    {
        if (_secrets.Length == 0 || text.Length == 0) return text;
        var builder = new StringBuilder(text);
        foreach (var secret in _secrets)
        {
            builder.Replace(secret, Mask);
            var escaped = System.Text.Json.JsonEncodedText.Encode(secret).ToString();
            if (escaped != secret) builder.Replace(escaped, Mask);
        }
        return builder.ToString();
    }
}
