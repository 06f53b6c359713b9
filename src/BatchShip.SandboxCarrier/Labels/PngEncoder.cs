using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace BatchShip.SandboxCarrier.Labels;

/// <summary>Writes a canvas as a 1-bit greyscale PNG (zlib-compressed scanlines, filter type 0).</summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(Canvas canvas)
    {
        using var output = new MemoryStream();
        output.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), canvas.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), canvas.Height);
        header[8] = 1;  // bit depth
        header[9] = 0;  // greyscale
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering (we use "None" on every row)
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);

        var stride = (canvas.Width + 7) / 8;
        var raw = new byte[(stride + 1) * canvas.Height];
        for (var y = 0; y < canvas.Height; y++)
        {
            var row = y * (stride + 1);
            raw[row] = 0;
            for (var x = 0; x < canvas.Width; x++)
            {
                // In 1-bit greyscale a set bit is white, so paper gets the bit and ink stays 0.
                if (!canvas[x, y]) raw[row + 1 + x / 8] |= (byte)(0x80 >> (x % 8));
            }
            // Pad bits past the width are white too.
            for (var x = canvas.Width; x < stride * 8; x++) raw[row + 1 + x / 8] |= (byte)(0x80 >> (x % 8));
        }

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
                zlib.Write(raw);
            WriteChunk(output, "IDAT", compressed.ToArray());
        }
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32.Compute(typeBytes, data);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        output.Write(crcBytes);
    }
}
