using BatchShip.Engine.Carriers;

namespace BatchShip.Engine.Execution;

/// <summary>
/// The run's one carrier session, restarted when an outcome is unknown: a carrier that crashed or hung
/// cannot answer the lookup that follows, and a fresh process can. Every worker shares it.
/// </summary>
internal sealed class CarrierConnection : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<ICarrierSession>> _start;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ICarrierSession? _current;
    private ICarrierSession? _unused;

    /// <param name="start">Starts a new session.</param>
    /// <param name="started">A session started before the run (while the job was checked and staged), used first.</param>
    public CarrierConnection(Func<CancellationToken, Task<ICarrierSession>> start, ICarrierSession? started = null)
    {
        _start = start;
        _current = _unused = started;
    }

    /// <summary>The session to call. A pool of servers is grown to its full size here, before its first call, so
    /// that no create waits for a server to start and a server that cannot start fails the run before anything is sent.</summary>
    public async Task<ICarrierSession> GetAsync(CancellationToken ct)
    {
        var session = await CurrentAsync(ct).ConfigureAwait(false);
        if (session is PooledCarrierSession pool) await pool.StartMembersAsync(ct).ConfigureAwait(false);
        return session;
    }

    private async Task<ICarrierSession> CurrentAsync(CancellationToken ct)
    {
        var current = Volatile.Read(ref _current);
        if (current is { IsAlive: true })
        {
            Volatile.Write(ref _unused, null); // in use from now on: a later death is the row protocol's to handle
            return current;
        }
        if (current is not null && !ReferenceEquals(current, Volatile.Read(ref _unused))) return current;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // A session started before the run that died before any row used it (the carrier went away while the rows
            // were staged) is replaced: handed to a row, its create would be an unknown outcome for a request never sent.
            if (_unused is { IsAlive: false } dead && ReferenceEquals(dead, _current))
            {
                _current = null;
                await DisposeQuietly(dead).ConfigureAwait(false);
            }
            _unused = null;
            return _current ??= await _start(ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Replaces the session if it is still the one that failed (another worker may have done it already).</summary>
    public async Task<ICarrierSession> RestartAsync(ICarrierSession failed, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(_current, failed))
            {
                _current = null;
                await DisposeQuietly(failed).ConfigureAwait(false);
                _current = await _start(ct).ConfigureAwait(false);
            }
            return _current ?? (_current = await _start(ct).ConfigureAwait(false));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is { } session) await DisposeQuietly(session).ConfigureAwait(false);
        _current = null;
        _gate.Dispose();
    }

    private static async Task DisposeQuietly(ICarrierSession session)
    {
        try { await session.DisposeAsync().ConfigureAwait(false); }
#pragma warning disable CA1031 // a dead carrier may fail to dispose; it is being replaced anyway
        catch (Exception) { }
#pragma warning restore CA1031
    }
}
