using System.Buffers.Binary;

namespace BatchShip.Engine.Labels;

/// <summary>
/// Turns the first image of a GIF into a 24-bit BMP. GIF is UPS's default label format, and PDFsharp places BMP,
/// PNG and JPEG images but not GIF; no package served here decodes GIF within the brief, so this reads the one image
/// a label has (LZW, global or local colour table, interlaced or not) and nothing more.
/// </summary>
internal static class GifToBitmap
{
    /// <summary>True when the bytes start like a GIF file.</summary>
    public static bool IsGif(ReadOnlySpan<byte> data) => data.Length >= 6 && data[..3].SequenceEqual("GIF"u8);

    /// <summary>The GIF's first image as a BMP file. Throws <see cref="InvalidDataException"/> for a broken GIF.</summary>
    public static byte[] Convert(byte[] gif)
    {
        if (!IsGif(gif) || gif.Length < 13) throw new InvalidDataException("Not a GIF image.");
        var width = BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(6));
        var height = BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(8));
        var position = 13;
        var palette = (gif[10] & 0x80) != 0 ? ReadPalette(gif, ref position, gif[10]) : null;

        while (position < gif.Length)
        {
            switch (gif[position++])
            {
                case 0x21: // extension: label, then sub-blocks
                    position++;
                    SkipSubBlocks(gif, ref position);
                    break;
                case 0x2C: // image descriptor
                    return ReadImage(gif, position, width, height, palette);
                default:
                    throw new InvalidDataException("The GIF has no image.");
            }
        }
        throw new InvalidDataException("The GIF has no image.");
    }

    private static byte[] ReadImage(byte[] gif, int position, int screenWidth, int screenHeight, byte[]? palette)
    {
        Need(gif, position, 9);
        var left = BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(position));
        var top = BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(position + 2));
        var width = BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(position + 4));
        var height = BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(position + 6));
        var flags = gif[position + 8];
        position += 9;
        if ((flags & 0x80) != 0) palette = ReadPalette(gif, ref position, flags);
        if (palette is null) throw new InvalidDataException("The GIF has no colour table.");
        var interlaced = (flags & 0x40) != 0;

        Need(gif, position, 1);
        var minCodeSize = gif[position++];
        if (minCodeSize is < 2 or > 8) throw new InvalidDataException("The GIF's code size is invalid.");
        var data = new MemoryStream();
        while (true)
        {
            Need(gif, position, 1);
            var size = gif[position++];
            if (size == 0) break;
            Need(gif, position, size);
            data.Write(gif, position, size);
            position += size;
        }

        var indices = Decompress(data.ToArray(), minCodeSize, width * height);
        var canvasWidth = Math.Max(screenWidth, left + width);
        var canvasHeight = Math.Max(screenHeight, top + height);
        var colours = new byte[canvasWidth * canvasHeight * 3];
        Array.Fill(colours, (byte)0xFF); // white paper where the image does not reach
        for (var row = 0; row < height; row++)
        {
            var target = top + (interlaced ? InterlacedRow(row, height) : row);
            for (var x = 0; x < width; x++)
            {
                var index = indices[row * width + x] * 3;
                if (index + 2 >= palette.Length) continue;
                var at = (target * canvasWidth + left + x) * 3;
                colours[at] = palette[index];
                colours[at + 1] = palette[index + 1];
                colours[at + 2] = palette[index + 2];
            }
        }
        return Bmp(canvasWidth, canvasHeight, colours);
    }

    // Rows 0, 8, 16... then 4, 12... then 2, 6... then 1, 3...: the n-th stored row's place in the picture.
    private static int InterlacedRow(int stored, int height)
    {
        foreach (var (start, step) in new[] { (0, 8), (4, 8), (2, 4), (1, 2) })
        {
            var count = (height - start + step - 1) / step;
            if (stored < count) return start + stored * step;
            stored -= count;
        }
        return stored;
    }

    private static byte[] Decompress(byte[] data, int minCodeSize, int pixelCount)
    {
        var clear = 1 << minCodeSize;
        var end = clear + 1;
        var prefix = new int[4096];
        var suffix = new byte[4096];
        var length = new int[4096];
        for (var i = 0; i < clear; i++) { prefix[i] = -1; suffix[i] = (byte)i; length[i] = 1; }

        var output = new byte[pixelCount];
        var written = 0;
        var codeSize = minCodeSize + 1;
        var next = end + 1;
        var previous = -1;
        var bits = 0;
        var bitCount = 0;
        var stack = new byte[4096];

        foreach (var b in data)
        {
            bits |= b << bitCount;
            bitCount += 8;
            while (bitCount >= codeSize)
            {
                var code = bits & ((1 << codeSize) - 1);
                bits >>= codeSize;
                bitCount -= codeSize;
                if (code == clear)
                {
                    codeSize = minCodeSize + 1;
                    next = end + 1;
                    previous = -1;
                    continue;
                }
                if (code == end) return output;
                if (code > next || (previous == -1 && code >= clear)) throw new InvalidDataException("The GIF's image data is corrupt.");

                int first;
                if (code == next)
                {
                    // The code being defined right now: the previous string plus its own first character.
                    first = FirstOf(previous, prefix, suffix);
                    written = Emit(previous, prefix, suffix, length, stack, output, written);
                    if (written < output.Length) output[written++] = (byte)first;
                }
                else
                {
                    first = FirstOf(code, prefix, suffix);
                    written = Emit(code, prefix, suffix, length, stack, output, written);
                }
                if (previous != -1 && next < 4096)
                {
                    prefix[next] = previous;
                    suffix[next] = (byte)first;
                    length[next] = length[previous] + 1;
                    next++;
                    if (next == 1 << codeSize && codeSize < 12) codeSize++;
                }
                previous = code;
                if (written >= output.Length) return output;
            }
        }
        return output;
    }

    private static int FirstOf(int code, int[] prefix, byte[] suffix)
    {
        while (prefix[code] != -1) code = prefix[code];
        return suffix[code];
    }

    private static int Emit(int code, int[] prefix, byte[] suffix, int[] length, byte[] stack, byte[] output, int written)
    {
        var count = length[code];
        for (var i = count - 1; i >= 0; i--)
        {
            stack[i] = suffix[code];
            code = prefix[code];
        }
        var take = Math.Min(count, output.Length - written);
        Array.Copy(stack, 0, output, written, take);
        return written + take;
    }

    private static byte[] ReadPalette(byte[] gif, ref int position, byte flags)
    {
        var size = 3 * (1 << ((flags & 0x07) + 1));
        Need(gif, position, size);
        var palette = gif.AsSpan(position, size).ToArray();
        position += size;
        return palette;
    }

    private static void SkipSubBlocks(byte[] gif, ref int position)
    {
        while (true)
        {
            Need(gif, position, 1);
            var size = gif[position++];
            if (size == 0) return;
            position += size;
        }
    }

    private static void Need(byte[] gif, int position, int count)
    {
        if (position + count > gif.Length) throw new InvalidDataException("The GIF ends too early.");
    }

    // A bottom-up 24-bit BMP (BGR, rows padded to 4 bytes): the simplest image PDFsharp places.
    private static byte[] Bmp(int width, int height, byte[] rgb)
    {
        var stride = (width * 3 + 3) & ~3;
        var imageSize = stride * height;
        var bmp = new byte[54 + imageSize];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), imageSize);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(38), 3937); // 100 dpi
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(42), 3937);
        for (var y = 0; y < height; y++)
        {
            var row = 54 + (height - 1 - y) * stride;
            for (var x = 0; x < width; x++)
            {
                var from = (y * width + x) * 3;
                bmp[row + x * 3] = rgb[from + 2];
                bmp[row + x * 3 + 1] = rgb[from + 1];
                bmp[row + x * 3 + 2] = rgb[from];
            }
        }
        return bmp;
    }
}
