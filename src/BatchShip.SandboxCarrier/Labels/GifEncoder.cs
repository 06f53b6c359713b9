using System.Text;

namespace BatchShip.SandboxCarrier.Labels;

/// <summary>Writes a canvas as a two-colour GIF89a with LZW-compressed image data.</summary>
public static class GifEncoder
{
    private const int MinCodeSize = 2; // GIF's smallest allowed; two colours fit in it
    private const int MaxCode = 4095;

    public static byte[] Encode(Canvas canvas)
    {
        using var output = new MemoryStream();
        output.Write(Encoding.ASCII.GetBytes("GIF89a"));
        WriteUInt16(output, canvas.Width);
        WriteUInt16(output, canvas.Height);
        output.WriteByte(0x80); // global colour table, 1 bit colour resolution, 2 entries
        output.WriteByte(0);    // background index
        output.WriteByte(0);    // no aspect ratio
        output.Write([0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00]); // 0 = white paper, 1 = black ink

        output.WriteByte(0x2C); // image descriptor
        WriteUInt16(output, 0);
        WriteUInt16(output, 0);
        WriteUInt16(output, canvas.Width);
        WriteUInt16(output, canvas.Height);
        output.WriteByte(0);

        output.WriteByte(MinCodeSize);
        var data = Compress(canvas);
        for (var offset = 0; offset < data.Length; offset += 255)
        {
            var size = Math.Min(255, data.Length - offset);
            output.WriteByte((byte)size);
            output.Write(data, offset, size);
        }
        output.WriteByte(0);    // end of image data
        output.WriteByte(0x3B); // trailer
        return output.ToArray();
    }

    private static byte[] Compress(Canvas canvas)
    {
        var clear = 1 << MinCodeSize;
        var end = clear + 1;
        var writer = new BitWriter();
        var table = new Dictionary<int, int>();
        var codeSize = MinCodeSize + 1;
        var next = end + 1;

        writer.Write(clear, codeSize);
        var prefix = -1;
        for (var y = 0; y < canvas.Height; y++)
        {
            for (var x = 0; x < canvas.Width; x++)
            {
                var pixel = canvas[x, y] ? 1 : 0;
                if (prefix < 0) { prefix = pixel; continue; }
                var key = (prefix << 8) | pixel;
                if (table.TryGetValue(key, out var code)) { prefix = code; continue; }

                writer.Write(prefix, codeSize);
                table[key] = next;
                // The decoder learns each entry one code later, so widen once the new entry needs the extra bit.
                if (next >= 1 << codeSize && codeSize < 12) codeSize++;
                next++;
                if (next > MaxCode)
                {
                    writer.Write(clear, codeSize);
                    table.Clear();
                    codeSize = MinCodeSize + 1;
                    next = end + 1;
                }
                prefix = pixel;
            }
        }
        if (prefix >= 0) writer.Write(prefix, codeSize);
        writer.Write(end, codeSize);
        return writer.ToArray();
    }

    private static void WriteUInt16(Stream s, int value)
    {
        s.WriteByte((byte)(value & 0xFF));
        s.WriteByte((byte)((value >> 8) & 0xFF));
    }

    /// <summary>Packs variable-width codes least-significant bit first, as GIF requires.</summary>
    private sealed class BitWriter
    {
        private readonly MemoryStream _bytes = new();
        private int _buffer;
        private int _count;

        public void Write(int code, int width)
        {
            _buffer |= code << _count;
            _count += width;
            while (_count >= 8)
            {
                _bytes.WriteByte((byte)(_buffer & 0xFF));
                _buffer >>= 8;
                _count -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_count > 0) _bytes.WriteByte((byte)(_buffer & 0xFF));
            _count = 0;
            _buffer = 0;
            return _bytes.ToArray();
        }
    }
}
