namespace BatchShip.SandboxCarrier.Labels;

public static class LabelRenderer
{
    /// <summary>Renders one label in a format already checked by validation.</summary>
    public static byte[] Render(LabelContent label, string format) => format switch
    {
        "GIF" => GifEncoder.Encode(RasterLabel.Draw(label)),
        "PNG" => PngEncoder.Encode(RasterLabel.Draw(label)),
        "PDF" => PdfLabelWriter.Write(label),
        "ZPL" => ZplLabelWriter.Write(label),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unsupported label format."),
    };
}
