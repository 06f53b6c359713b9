using System.Buffers.Binary;
using System.IO.Compression;

namespace BatchShip.SandboxCarrier.Tests.Infrastructure;

/// <summary>
/// Minimal independent decoders: enough to prove a label is a well-formed image with ink on it,
/// not just a file with the right first bytes.
/// </summary>
public static class ImageDecoders
{
    public sealed record Raster(int Width, int Height, int InkPixels);

    public static Raster DecodeGif(byte[] gif)
    {
        Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(gif, 0, 6));
        var width = BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(6));
        var height = BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(8));
        var flags = gif[10];
        var pos = 13 + ((flags & 0x80) != 0 ? 3 * (2 << (flags & 7)) : 0);
        Assert.Equal(0x2C, gif[pos]);
        pos += 10;
        int minCodeSize = gif[pos++];
        var data = new List<byte>();
        while (gif[pos] != 0)
        {
            data.AddRange(gif.AsSpan(pos + 1, gif[pos]).ToArray());
            pos += 1 + gif[pos];
        }
        Assert.Equal(0x3B, gif[pos + 1]);

        var clear = 1 << minCodeSize;
        var end = clear + 1;
        var pixels = new List<int>(width * height);
        var table = new List<int[]>();
        int[]? previous = null;
        var size = minCodeSize + 1;
        void Reset()
        {
            table = Enumerable.Range(0, clear).Select(i => new[] { i }).Concat([[], []]).ToList();
            size = minCodeSize + 1;
            previous = null;
        }
        Reset();
        var bitPos = 0;
        var totalBits = data.Count * 8;
        while (bitPos + size <= totalBits)
        {
            var code = 0;
            for (var b = 0; b < size; b++, bitPos++)
                if ((data[bitPos / 8] & (1 << (bitPos % 8))) != 0) code |= 1 << b;
            if (code == clear) { Reset(); continue; }
            if (code == end) break;
            int[] entry;
            if (previous is null) entry = table[code];
            else if (code < table.Count) { entry = table[code]; table.Add([.. previous, entry[0]]); }
            else if (code == table.Count) { entry = [.. previous, previous[0]]; table.Add(entry); }
            else throw new InvalidDataException($"LZW code {code} beyond table {table.Count}");
            pixels.AddRange(entry);
            previous = entry;
            if (table.Count == 1 << size && size < 12) size++;
        }
        Assert.Equal(width * height, pixels.Count);
        return new Raster(width, height, pixels.Count(p => p == 1));
    }

    public static Raster DecodePng(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var pos = 8;
        int width = 0, height = 0, bitDepth = 0;
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var chunk = png.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(chunk);
                height = BinaryPrimitives.ReadInt32BigEndian(chunk[4..]);
                bitDepth = chunk[8];
            }
            else if (type == "IDAT") idat.Write(chunk);
            pos += 12 + length;
        }
        Assert.Equal(1, bitDepth);
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        var stride = (width + 7) / 8;
        Assert.Equal((stride + 1) * height, raw.Length);
        var ink = 0;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                if ((raw[y * (stride + 1) + 1 + x / 8] & (0x80 >> (x % 8))) == 0) ink++;
        return new Raster(width, height, ink);
    }
}
