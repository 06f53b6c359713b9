using System.Globalization;
using System.Text;

namespace BatchShip.SandboxCarrier.Labels;

/// <summary>Writes ZPL II for a 4x6 inch label at 203 dpi, with a Code 128 barcode the printer renders.</summary>
public static class ZplLabelWriter
{
    public static byte[] Write(LabelContent label)
    {
        var zpl = new StringBuilder();
        zpl.Append("^XA^CI28^PW812^LL1218\n");
        var y = 30;
        foreach (var line in RasterLabel.FromLines(label)) Field(zpl, 30, ref y, 24, line);
        var top = 30;
        Field(zpl, 500, ref top, 24, string.Create(CultureInfo.InvariantCulture, $"{label.Weight}  {label.PackageNumber} OF {label.PackageCount}"), advance: false);
        y += 20;
        zpl.Append(CultureInfo.InvariantCulture, $"^FO20,{y}^GB772,3,3^FS\n");
        y += 20;
        Field(zpl, 30, ref y, 28, "SHIP TO:");
        foreach (var line in RasterLabel.ToLines(label.ShipTo)) Field(zpl, 60, ref y, 40, line);
        y += 20;
        zpl.Append(CultureInfo.InvariantCulture, $"^FO20,{y}^GB772,3,3^FS\n");
        y += 20;
        Field(zpl, 30, ref y, 50, label.ServiceName);
        Field(zpl, 30, ref y, 30, "TRACKING #: " + label.GroupedTrackingNumber);
        zpl.Append(CultureInfo.InvariantCulture, $"^FO60,{y}^BY3^BCN,180,N,N,N^FD{Clean(label.TrackingNumber)}^FS\n");
        y += 210;
        foreach (var reference in label.References) Field(zpl, 30, ref y, 24, "REF: " + reference);
        zpl.Append("^XZ\n");
        return Encoding.UTF8.GetBytes(zpl.ToString());
    }

    private static void Field(StringBuilder zpl, int x, ref int y, int height, string text, bool advance = true)
    {
        zpl.Append(CultureInfo.InvariantCulture, $"^FO{x},{y}^A0N,{height},{height}^FD{Clean(text)}^FS\n");
        if (advance) y += height + 8;
    }

    /// <summary>^ and ~ start ZPL commands, so they cannot appear in field data.</summary>
    private static string Clean(string text) => text.Replace('^', ' ').Replace('~', ' ');
}
