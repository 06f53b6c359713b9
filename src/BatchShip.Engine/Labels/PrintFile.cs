using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BatchShip.Engine.Labels;

/// <summary>The kinds of print file a job's labels go into.</summary>
public enum PrintFormat
{
    /// <summary>One PDF, one 4x6 inch page per label: for an office or label printer.</summary>
    Pdf,
    /// <summary>The ZPL labels one after another: sent as is to a thermal printer.</summary>
    Zpl,
}

/// <summary>One label to print: its bytes and the format the carrier gave them in (GIF, PNG, PDF, ZPL).</summary>
public sealed record PrintLabel(byte[] Image, string Format);

/// <summary>Builds one print file from labels, in the order given.</summary>
public static class PrintFile
{
    /// <summary>A 4x6 inch label in PDF points (1/72 inch).</summary>
    public const double PageWidth = 288, PageHeight = 432;

    /// <summary>True when a label of <paramref name="format"/> can go into a print file of <paramref name="print"/> as it is.</summary>
    public static bool Fits(string? format, PrintFormat print) => (format ?? "").Trim().ToUpperInvariant() switch
    {
        "GIF" or "PNG" or "PDF" => print == PrintFormat.Pdf,
        "ZPL" => print == PrintFormat.Zpl,
        _ => false,
    };

    /// <summary>True when a PNG label is one PDFsharp can place (it takes 8-bit colour and greyscale, not every bit
    /// depth a carrier may send); one it cannot is fetched again as GIF.</summary>
    public static bool CanPlace(byte[] image, string format)
    {
        if (!format.Equals("PNG", StringComparison.OrdinalIgnoreCase)) return true;
        try
        {
            using var stream = new MemoryStream(image, writable: false);
            using var picture = XImage.FromStream(stream);
            return picture.PixelWidth > 0;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The label format to ask the carrier for when a label must be fetched again for a print file.</summary>
    public static string CarrierFormat(PrintFormat print) => print == PrintFormat.Zpl ? "ZPL" : "GIF";

    /// <summary>Writes the labels as one print file to <paramref name="output"/>. Every label must <see cref="Fits"/>.</summary>
    public static void Write(IReadOnlyList<PrintLabel> labels, PrintFormat print, Stream output)
    {
        if (print == PrintFormat.Zpl) WriteZpl(labels, output);
        else WritePdf(labels, output);
    }

    // Each label file is one ^XA...^XZ block (or several, for a carrier that puts more in one): joined by a line break
    // so a block never runs into the next one's ^XA.
    private static void WriteZpl(IReadOnlyList<PrintLabel> labels, Stream output)
    {
        foreach (var label in labels)
        {
            var text = Encoding.UTF8.GetString(label.Image).Trim();
            if (!text.Contains("^XA", StringComparison.Ordinal) || !text.Contains("^XZ", StringComparison.Ordinal))
                throw new InvalidDataException("A ZPL label holds no ^XA...^XZ block.");
            var bytes = Encoding.UTF8.GetBytes(text + "\n");
            output.Write(bytes);
        }
    }

    private static void WritePdf(IReadOnlyList<PrintLabel> labels, Stream output)
    {
        using var document = new PdfDocument();
        document.Info.Title = "Shipping labels";
        foreach (var label in labels)
        {
            if (label.Format.Equals("PDF", StringComparison.OrdinalIgnoreCase)) AddPdfPages(document, label.Image);
            else AddImagePage(document, label.Image);
        }
        document.Save(output, closeStream: false);
    }

    // A label PDF may have several pages; each becomes a 4x6 page of its own.
    private static void AddPdfPages(PdfDocument document, byte[] pdf)
    {
        using var stream = new MemoryStream(pdf, writable: false);
        using var form = XPdfForm.FromStream(stream);
        for (var page = 1; page <= form.PageCount; page++)
        {
            form.PageNumber = page;
            Place(document, form);
        }
    }

    private static void AddImagePage(PdfDocument document, byte[] image)
    {
        var bytes = GifToBitmap.IsGif(image) ? GifToBitmap.Convert(image) : image;
        using var stream = new MemoryStream(bytes, writable: false);
        using var picture = XImage.FromStream(stream);
        Place(document, picture);
    }

    // Fills the 4x6 page, keeping the label's proportions; a landscape label (UPS's GIF labels are printed sideways)
    // is turned a quarter so it stands upright on the page.
    private static void Place(PdfDocument document, XImage image)
    {
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        using var graphics = XGraphics.FromPdfPage(page);
        double width = image.PointWidth, height = image.PointHeight;
        var turn = width > height;
        if (turn)
        {
            graphics.TranslateTransform(PageWidth, 0);
            graphics.RotateTransform(90);
        }
        double boxWidth = turn ? PageHeight : PageWidth, boxHeight = turn ? PageWidth : PageHeight;
        var scale = Math.Min(boxWidth / width, boxHeight / height);
        var drawWidth = width * scale;
        var drawHeight = height * scale;
        graphics.DrawImage(image, (boxWidth - drawWidth) / 2, (boxHeight - drawHeight) / 2, drawWidth, drawHeight);
    }
}
