using System.Globalization;

namespace BatchShip.SandboxCarrier.Labels;

/// <summary>Lays out a 4x6 inch label at 100 dpi for the bitmap formats.</summary>
public static class RasterLabel
{
    public const int Width = 400;
    public const int Height = 600;

    public static Canvas Draw(LabelContent label)
    {
        var canvas = new Canvas(Width, Height);
        canvas.Frame(4, 4, Width - 8, Height - 8, 3);

        var y = 16;
        foreach (var line in FromLines(label))
        {
            canvas.DrawText(Fit(line, 2), 16, y, 2);
            y += 18;
        }
        canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"{label.Weight}  {label.PackageNumber} OF {label.PackageCount}"), 220, 16, 2);

        y = Math.Max(y, 110) + 6;
        canvas.FillRect(4, y, Width - 8, 3);
        y += 14;
        canvas.DrawText("SHIP TO:", 16, y, 2);
        y += 22;
        foreach (var line in ToLines(label.ShipTo))
        {
            // A long city line drops to the smaller font rather than losing its postal code off the edge.
            var scale = line.Length <= MaxChars(3) ? 3 : 2;
            canvas.DrawText(Fit(line, scale), 24, y, scale);
            y += 28;
        }

        y = Math.Max(y, 330) + 6;
        canvas.FillRect(4, y, Width - 8, 3);
        y += 14;
        canvas.DrawText(Fit(label.ServiceName, 3), 16, y, 3);
        y += 34;
        canvas.DrawText("TRACKING #:", 16, y, 2);
        y += 20;
        canvas.DrawText(label.GroupedTrackingNumber, 16, y, 2);
        y += 30;

        // A stripe pattern derived from the tracking number marks where a printed barcode would sit.
        var x = 16;
        foreach (var c in label.TrackingNumber)
        {
            var bits = c;
            for (var b = 0; b < 6 && x < Width - 20; b++)
            {
                var wide = ((bits >> b) & 1) == 1 ? 3 : 1;
                canvas.FillRect(x, y, wide, 60);
                x += wide + 2;
            }
        }
        y += 72;
        canvas.FillRect(4, y, Width - 8, 3);
        y += 12;
        foreach (var reference in label.References)
        {
            canvas.DrawText(Fit("REF: " + reference, 2), 16, y, 2);
            y += 18;
        }
        return canvas;
    }

    public static IEnumerable<string> FromLines(LabelContent label)
    {
        yield return label.ShipFrom.Name;
        foreach (var line in label.ShipFrom.Lines.Take(1)) yield return line;
        yield return label.ShipFrom.CityLine;
    }

    public static IEnumerable<string> ToLines(LabelAddress to)
    {
        yield return to.Name;
        if (!string.IsNullOrWhiteSpace(to.AttentionName)) yield return to.AttentionName!;
        foreach (var line in to.Lines) yield return line;
        yield return to.CityLine;
        yield return to.Country;
    }

    /// <summary>Cuts text that would run off the label rather than wrapping mid-word.</summary>
    private static string Fit(string text, int scale)
    {
        var max = MaxChars(scale);
        return text.Length <= max ? text : text[..max];
    }

    private static int MaxChars(int scale) => (Width - 40) / (BitmapFont.Advance * scale);
}
