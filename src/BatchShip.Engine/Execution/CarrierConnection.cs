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

    public CarrierConnection(Func<CancellationToken, Task<ICarrierSession>> start) => _start = start;

    public async Task<ICarrierSession> GetAsync(CancellationToken ct)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null) return current;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
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
