using System.Globalization;

namespace BatchShip.SandboxCarrier.Faults;

/// <summary>
/// The rate limit of one carrier account: a token bucket whose state lives in a small file beside the ledger, so
/// every sandbox process serving that ledger (one account) draws from the same bucket, as every client of one UPS
/// account does. Each call takes the file's OS lock (released by the OS if a holder dies), refills the bucket for
/// the time gone by, and takes a token or is refused with how long until the next one.
/// </summary>
public sealed class AccountRateCap(string stateFile, double perSecond, int burst, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _inProcess = new(1, 1);
    private readonly double _capacity = burst > 0 ? burst : Math.Max(1, perSecond);

    /// <summary>Takes a token; null when granted, else how long until the bucket has one again.</summary>
    public async Task<TimeSpan?> TryTakeAsync(CancellationToken cancellationToken)
    {
        // Threads of this process queue here; processes queue on the file lock.
        await _inProcess.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var file = await OpenLockedAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
            var (tokens, at) = Read(file);
            tokens = Math.Min(_capacity, tokens + Math.Max(0, now - at) * perSecond);
            TimeSpan? wait = null;
            if (tokens >= 1) tokens -= 1;
            else wait = TimeSpan.FromSeconds((1 - tokens) / perSecond);
            Write(file, tokens, now);
            return wait;
        }
        finally
        {
            _inProcess.Release();
        }
    }

    public void Dispose() => _inProcess.Dispose();

    private (double Tokens, double At) Read(FileStream file)
    {
        var text = new StreamReader(file, leaveOpen: true).ReadToEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // A new account (or an unreadable file) starts with a full bucket.
        if (text.Length == 2
            && double.TryParse(text[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var tokens)
            && double.TryParse(text[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var at))
            return (tokens, at);
        return (_capacity, 0);
    }

    private static void Write(FileStream file, double tokens, double at)
    {
        file.SetLength(0);
        file.Position = 0;
        var bytes = System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{tokens:R} {at:R}"));
        file.Write(bytes);
    }

    private async Task<FileStream> OpenLockedAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(stateFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (time.GetElapsedTime(started) < GiveUpAfter)
            {
                // Another sandbox process holds the bucket for a moment.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(20, attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
