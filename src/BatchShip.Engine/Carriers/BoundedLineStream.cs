namespace BatchShip.Engine.Carriers;

/// <summary>
/// The read side of a carrier's stdout that refuses a line longer than a limit. The MCP client reads a whole line
/// into one string before it parses it, so without this a server that never ends its line grows the host's memory
/// without bound; with it, the read fails as soon as a line passes the limit, and the session ends (the call in
/// flight becomes an unknown outcome, settled by reference).
/// </summary>
public sealed class BoundedLineStream(Stream inner, long maxLineBytes) : Stream
{
    private long _lineBytes;

    /// <summary>True once a line passed the limit; nothing more is read after that.</summary>
    public bool Exceeded { get; private set; }

    /// <summary>The longest line allowed, in bytes, without its newline.</summary>
    public long MaxLineBytes { get; } = maxLineBytes;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ThrowIfExceeded();
        var read = inner.Read(buffer);
        return Accept(buffer[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfExceeded();
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Accept(buffer.Span[..read]);
    }

    // Hands on every complete line before the one that is too long, so the answers ahead of it still arrive;
    // the next read then fails.
    private int Accept(ReadOnlySpan<byte> bytes)
    {
        var accepted = 0;
        while (accepted < bytes.Length)
        {
            var rest = bytes[accepted..];
            var newline = rest.IndexOf((byte)'\n');
            var segment = newline < 0 ? rest.Length : newline;
            if (_lineBytes + segment > MaxLineBytes)
            {
                Exceeded = true;
                if (accepted == 0) ThrowIfExceeded();
                return accepted;
            }
            if (newline < 0)
            {
                _lineBytes += segment;
                return bytes.Length;
            }
            _lineBytes = 0;
            accepted += newline + 1;
        }
        return accepted;
    }

    private void ThrowIfExceeded()
    {
        if (Exceeded)
            throw new IOException($"The carrier sent a message longer than the limit of {Megabytes(MaxLineBytes)}.");
    }

    internal static string Megabytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes} bytes";

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
