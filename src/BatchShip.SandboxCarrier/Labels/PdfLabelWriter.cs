using System.Globalization;
using System.Text;

namespace BatchShip.SandboxCarrier.Labels;

/// <summary>Writes a one-page 4x6 inch PDF with real text (Helvetica), so the label can be searched and printed.</summary>
public static class PdfLabelWriter
{
    public static byte[] Write(LabelContent label)
    {
        var content = new StringBuilder();
        var y = 410;
        void Text(string text, int size, int x = 18)
        {
            content.Append(CultureInfo.InvariantCulture, $"BT /F1 {size} Tf {x} {y} Td ({Escape(text)}) Tj ET\n");
            y -= size + 4;
        }

        foreach (var line in RasterLabel.FromLines(label)) Text(line, 9);
        Text(string.Create(CultureInfo.InvariantCulture, $"{label.Weight}   {label.PackageNumber} OF {label.PackageCount}"), 9);
        y -= 8;
        Text("SHIP TO:", 10);
        foreach (var line in RasterLabel.ToLines(label.ShipTo)) Text(line, 14, 30);
        y -= 10;
        Text(label.ServiceName, 16);
        Text("TRACKING #: " + label.GroupedTrackingNumber, 12);
        foreach (var reference in label.References) Text("REF: " + reference, 9);
        content.Append("4 4 280 424 re S\n");

        var stream = content.ToString();
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            $"<< /Length {Latin1(stream).Length} >>\nstream\n{stream}endstream",
        };

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Latin1(pdf.ToString()).Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = Latin1(pdf.ToString()).Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Latin1(pdf.ToString());
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '(' or ')' or '\\') builder.Append('\\');
            builder.Append(c > '\u00ff' ? '?' : c);
        }
        return builder.ToString();
    }
}
