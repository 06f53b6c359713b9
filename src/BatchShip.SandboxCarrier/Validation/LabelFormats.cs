namespace BatchShip.SandboxCarrier.Validation;

/// <summary>Label formats the sandbox can render. EPL and SPL exist at UPS but are not rendered here.</summary>
public static class LabelFormats
{
    public const string Default = "GIF";
    public static readonly IReadOnlyList<string> Supported = ["GIF", "PNG", "PDF", "ZPL"];

    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return Default;
        var upper = code.Trim().ToUpperInvariant();
        return Supported.Contains(upper) ? upper : null;
    }
}
