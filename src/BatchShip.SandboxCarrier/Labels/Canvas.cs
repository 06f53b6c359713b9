namespace BatchShip.SandboxCarrier.Labels;

/// <summary>A one-bit raster: true is ink (black).</summary>
public sealed class Canvas(int width, int height)
{
    private readonly bool[] _ink = new bool[width * height];

    public int Width { get; } = width;
    public int Height { get; } = height;

    public bool this[int x, int y] => _ink[y * Width + x];

    public void Set(int x, int y)
    {
        if (x >= 0 && y >= 0 && x < Width && y < Height) _ink[y * Width + x] = true;
    }

    public void FillRect(int x, int y, int w, int h)
    {
        for (var yy = y; yy < y + h; yy++)
            for (var xx = x; xx < x + w; xx++)
                Set(xx, yy);
    }

    public void Frame(int x, int y, int w, int h, int thickness)
    {
        FillRect(x, y, w, thickness);
        FillRect(x, y + h - thickness, w, thickness);
        FillRect(x, y, thickness, h);
        FillRect(x + w - thickness, y, thickness, h);
    }

    /// <summary>Draws text at a whole-number scale; returns the x just past the last glyph.</summary>
    public int DrawText(string text, int x, int y, int scale)
    {
        var cursor = x;
        foreach (var c in BitmapFont.Prepare(text))
        {
            var glyph = BitmapFont.Glyph(c);
            for (var gy = 0; gy < BitmapFont.GlyphHeight; gy++)
                for (var gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                    if (glyph[gy][gx] == '#') FillRect(cursor + gx * scale, y + gy * scale, scale, scale);
            cursor += BitmapFont.Advance * scale;
        }
        return cursor;
    }

    public static int TextWidth(string text, int scale) => BitmapFont.Prepare(text).Length * BitmapFont.Advance * scale;
}
