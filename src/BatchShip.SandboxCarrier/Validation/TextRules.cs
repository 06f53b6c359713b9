namespace BatchShip.SandboxCarrier.Validation;

/// <summary>Character rules UPS enforces on free text (names, address lines, references).</summary>
public static class TextRules
{
    public const int NameMax = 35;
    public const int AddressLineMax = 35;
    public const int AddressLinesMax = 3;
    public const int CityMax = 30;
    public const int ReferenceMax = 35;
    public const int CustomerContextMax = 512;

    private const string Forbidden = "<>^{}|~`\\";

    /// <summary>Control characters, markup-like symbols and anything beyond Latin-1 are refused (121000).</summary>
    public static bool HasInvalidCharacters(string? text) =>
        text is not null && text.Any(c => c < ' ' || c == '\u007f' || c > '\u00ff' || Forbidden.Contains(c));

    public static bool IsBlank(string? text) => string.IsNullOrWhiteSpace(text);
}
