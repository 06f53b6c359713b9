using System.Globalization;
using System.Text;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Input;

/// <summary>The encodings a CSV file may be read with, named as Import-Csv -Encoding names them.</summary>
public static class TextEncodings
{
    // .NET knows only the Unicode encodings and Latin-1 until the code page provider is registered; Windows-1252
    // (what Excel writes on a western Windows) needs it. Registration is process-wide and idempotent.
    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The names Import-Csv accepts, for tab completion.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["ansi", "ascii", "bigendianunicode", "bigendianutf32", "latin1", "oem", "unicode", "utf32", "utf8", "utf8BOM", "utf8NoBOM"];

    /// <summary>
    /// A name from <see cref="Names"/>, a code page number (1252) or an encoding's web name (windows-1252) →
    /// the encoding; anything else is E-4007 naming what is accepted.
    /// </summary>
    public static Encoding Parse(string value)
    {
        var text = (value ?? "").Trim();
        var known = text.ToLowerInvariant() switch
        {
            "ansi" => Encoding.GetEncoding(CultureInfo.CurrentCulture.TextInfo.ANSICodePage),
            "oem" => Encoding.GetEncoding(CultureInfo.CurrentCulture.TextInfo.OEMCodePage),
            "ascii" => Encoding.ASCII,
            "bigendianunicode" => Encoding.BigEndianUnicode,
            "bigendianutf32" => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
            "latin1" => Encoding.Latin1,
            "unicode" => Encoding.Unicode,
            "utf32" => Encoding.UTF32,
            "utf8" or "utf8nobom" => new UTF8Encoding(false),
            "utf8bom" => new UTF8Encoding(true),
            _ => null,
        };
        if (known is not null) return known;
        try
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var codePage)
                ? Encoding.GetEncoding(codePage)
                : Encoding.GetEncoding(text);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new BatchShipException(ErrorCatalog.Configuration,
                $"-Encoding '{value}' is not an encoding; use {string.Join(", ", Names)}, a code page number such as 1252, or an Encoding object.",
                "Encoding", inner: e);
        }
    }
}
