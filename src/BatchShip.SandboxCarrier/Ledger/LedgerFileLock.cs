namespace BatchShip.SandboxCarrier.Ledger;

/// <summary>
/// Cross-process exclusive lock on a side file. FileShare.None maps to an OS file lock, which the
/// OS releases when a holder crashes, so a dead process can never wedge the ledger.
/// </summary>
public sealed class LedgerFileLock : IDisposable
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);
    private readonly FileStream _stream;

    private LedgerFileLock(FileStream stream) => _stream = stream;

    public static async Task<LedgerFileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var attempt = 0;
        while (true)
        {
            try
            {
                return new LedgerFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow - started < GiveUpAfter)
            {
                // Another process is appending; back off briefly and try again.
                attempt++;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100, 5 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
