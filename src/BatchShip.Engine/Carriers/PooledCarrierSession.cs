using System.Diagnostics;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Several server processes of one carrier behind one session, for a server that works on only a few calls at once
/// (the profile's <see cref="CarrierProfile.MaxConcurrentCalls"/>; matt-hans/ups-mcp serves one). Such a server queues
/// the other calls sent on its connection, and a call's timeout runs while it waits in that queue; here every call is
/// handed to a member with a free place, so a member never has more than its limit in hand and a call's timeout starts
/// when a server takes it, not while it waits for one.
/// <para>
/// A member that died or hung is replaced alone, by the call that finds it so: the other members keep serving. The
/// pool is <see cref="IsAlive"/> while it can serve: once a member cannot be started again, it reports itself dead and
/// the run replaces the whole pool, whose start then says why the carrier cannot start.
/// </para>
/// </summary>
public sealed class PooledCarrierSession : ICarrierSession
{
    private readonly ICarrierSessionFactory _factory;
    private readonly Member[] _members;
    private readonly SemaphoreSlim _places; // free places over all members: a call takes one before it picks a member
    private readonly TimeSpan _sendDeadline;
    private readonly SemaphoreSlim _growing = new(1, 1);
    private int _disposed;
    private volatile bool _broken;
    private volatile bool _grown;

    /// <summary>A pool of <paramref name="members"/> servers that each take <paramref name="callsPerMember"/> calls at once.
    /// Only <paramref name="first"/> (when given) runs yet: <see cref="StartMembersAsync"/> starts the others.</summary>
    /// <param name="factory">Starts one member (one server process).</param>
    /// <param name="members">How many server processes.</param>
    /// <param name="callsPerMember">How many calls one of them works on at once.</param>
    /// <param name="sendDeadline">The longest a create may wait for a member after the row went in flight: past it,
    /// the create is not sent (see <see cref="CreateShipmentAsync"/>).</param>
    /// <param name="first">A member started already (the check before the job existed), used as the first member.</param>
    public PooledCarrierSession(ICarrierSessionFactory factory, int members, int callsPerMember, TimeSpan sendDeadline, ICarrierSession? first = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(callsPerMember, 1);
        _factory = factory;
        _sendDeadline = sendDeadline;
        _members = Enumerable.Range(0, members).Select(_ => new Member(callsPerMember)).ToArray();
        if (first is not null) _members[0].Session = Watch(_members[0], first);
        _places = new SemaphoreSlim(members * callsPerMember, members * callsPerMember);
    }

    /// <summary>How many server processes a run of <paramref name="throttleLimit"/> rows at a time needs when one
    /// process takes <paramref name="maxConcurrentCalls"/> calls at once (null: any number, so one).</summary>
    public static int MembersFor(int? maxConcurrentCalls, int throttleLimit) =>
        maxConcurrentCalls is int n && n > 0 && throttleLimit > n ? (throttleLimit + n - 1) / n : 1;

    /// <summary>Starts a pool with every member running (an E-4013 <c>BatchShipException</c> when one cannot start).</summary>
    public static async Task<ICarrierSession> StartAsync(ICarrierSessionFactory factory, int members, int callsPerMember,
        TimeSpan sendDeadline, CancellationToken cancellationToken)
    {
        var pool = new PooledCarrierSession(factory, members, callsPerMember, sendDeadline);
        try
        {
            await pool.StartMembersAsync(cancellationToken).ConfigureAwait(false);
            return pool;
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public string CarrierName => _factory.CarrierName;

    /// <inheritdoc />
    public bool IsAlive => Volatile.Read(ref _disposed) == 0 && !_broken;

    /// <summary>How many server processes the pool holds.</summary>
    public int Members => _members.Length;

    /// <summary>
    /// Starts every member not running yet, all at once, and waits for them: done before the first row is sent, so
    /// that a server that cannot start is reported before anything is in flight, and no create waits for a start.
    /// A member that cannot start stops the pool (E-4013, and <see cref="IsAlive"/> false). Returns at once when done.
    /// </summary>
    public async Task StartMembersAsync(CancellationToken cancellationToken)
    {
        if (_grown) return;
        await _growing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_grown) return;
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var starts = _members.Select(m => EnsureRunningAsync(m, cancellationToken)).ToArray();
            try
            {
                await Task.WhenAll(starts).ConfigureAwait(false);
            }
            catch
            {
                // The first failure says why; the members that did start are stopped with the pool by the caller.
                _broken = true;
                throw starts.First(s => s.IsFaulted || s.IsCanceled).Exception?.InnerException ?? new OperationCanceledException(cancellationToken);
            }
            _grown = true;
        }
        finally
        {
            _growing.Release();
        }
    }

    /// <summary>Sends the create to a member with a free place. A create that had to wait for a member to be started
    /// again for longer than the send deadline is not sent: it is refused (E-3001, retryable), the row goes back to
    /// Pending, and the absence proof of a row in flight (its send deadline plus the call timeout) still holds.</summary>
    public async Task<CreateOutcome> CreateShipmentAsync(string argumentsJson, CancellationToken cancellationToken)
    {
        var asked = Stopwatch.GetTimestamp();
        return await CallAsync<CreateOutcome>(
            (session, ct) => Stopwatch.GetElapsedTime(asked) is var waited && waited > _sendDeadline
                ? Task.FromResult<CreateOutcome>(new CreateOutcome.Refused(new BatchShipException(ErrorCatalog.CarrierUnavailable,
                    $"Not sent: the carrier's server had to be started again, which took {waited.TotalSeconds:0.#} s, more than the {_sendDeadline.TotalSeconds:0.#} s send deadline.")))
                : session.CreateShipmentAsync(argumentsJson, ct),
            o => o is CreateOutcome.Unknown { CarrierHung: true },
            o => o is CreateOutcome.Unknown u ? u with { CarrierHung = false } : o,
            why => new CreateOutcome.Refused(why),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<LookupOutcome> LookupByReferenceAsync(string reference, string shipperNumber, CancellationToken cancellationToken) =>
        CallAsync<LookupOutcome>((session, ct) => session.LookupByReferenceAsync(reference, shipperNumber, ct),
            IsHung, Unhung, why => new LookupOutcome.Unavailable(why.Message), cancellationToken);

    /// <inheritdoc />
    public Task<LookupOutcome> RecoverLabelsAsync(string reference, string shipperNumber, string labelFormat, CancellationToken cancellationToken) =>
        CallAsync<LookupOutcome>((session, ct) => session.RecoverLabelsAsync(reference, shipperNumber, labelFormat, ct),
            IsHung, Unhung, why => new LookupOutcome.Unavailable(why.Message), cancellationToken);

    /// <inheritdoc />
    public Task<VoidOutcome> VoidAsync(string shipmentId, CancellationToken cancellationToken) =>
        CallAsync<VoidOutcome>((session, ct) => session.VoidAsync(shipmentId, ct),
            o => o is VoidOutcome.Unknown { CarrierHung: true },
            o => o is VoidOutcome.Unknown u ? u with { CarrierHung = false } : o,
            why => new VoidOutcome.Refused(why), cancellationToken);

    /// <inheritdoc />
    public Task<RateOutcome> RateAsync(string argumentsJson, CancellationToken cancellationToken) =>
        CallAsync<RateOutcome>((session, ct) => session.RateAsync(argumentsJson, ct), _ => false, o => o,
            why => new RateOutcome.Refused(why), cancellationToken);

    /// <inheritdoc />
    public Task<AddressValidationOutcome> ValidateAddressAsync(AddressToValidate address, CancellationToken cancellationToken) =>
        CallAsync<AddressValidationOutcome>((session, ct) => session.ValidateAddressAsync(address, ct), _ => false, o => o,
            why => new AddressValidationOutcome.Failed(why), cancellationToken);

    /// <inheritdoc />
    public Task<TrackOutcome> TrackAsync(string trackingNumber, CancellationToken cancellationToken) =>
        CallAsync<TrackOutcome>((session, ct) => session.TrackAsync(trackingNumber, ct), _ => false, o => o,
            why => new TrackOutcome.Failed(why), cancellationToken);

    /// <summary>Stops every member.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await Task.WhenAll(_members.Select(async m =>
        {
            await m.Restart.WaitAsync().ConfigureAwait(false);
            try
            {
                if (m.Session is { } session) await DisposeQuietly(session).ConfigureAwait(false);
                m.Session = null;
            }
            finally
            {
                m.Restart.Release();
            }
        })).ConfigureAwait(false);
    }

    private static bool IsHung(LookupOutcome outcome) => outcome is LookupOutcome.Unavailable { CarrierHung: true };

    private static LookupOutcome Unhung(LookupOutcome outcome) => outcome is LookupOutcome.Unavailable u ? u with { CarrierHung = false } : outcome;

    /// <summary>
    /// One call through a member with a free place. A member found dead is started again first; a member that died or
    /// hung during the call is replaced before its place is given back, and the outcome then no longer says "hung":
    /// the pool has dealt with it, and the caller's lookup goes to a live member. When a member cannot be started,
    /// the pool is dead and the call answers <paramref name="unavailable"/> (nothing was sent) or, after a call, keeps
    /// its outcome as it was, so that the run replaces the whole pool.
    /// </summary>
    private async Task<T> CallAsync<T>(Func<ICarrierSession, CancellationToken, Task<T>> call, Func<T, bool> hung, Func<T, T> unhung,
        Func<BatchShipException, T> unavailable, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _places.WaitAsync(cancellationToken).ConfigureAwait(false);
        var member = TakeMember();
        try
        {
            ICarrierSession session;
            try
            {
                session = await EnsureRunningAsync(member, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BatchShipException e)
            {
                _broken = true;
                return unavailable(e);
            }
            catch (ObjectDisposedException)
            {
                return unavailable(new BatchShipException(ErrorCatalog.CarrierUnavailable, $"The session with carrier '{CarrierName}' was closed."));
            }

            var outcome = await call(session, cancellationToken).ConfigureAwait(false);
            if ((hung(outcome) || !session.IsAlive) && await ReplaceAsync(member, session).ConfigureAwait(false))
                outcome = unhung(outcome);
            return outcome;
        }
        finally
        {
            member.Calls.Release();
            _places.Release();
        }
    }

    // Holding one of the pool's places guarantees a member with a free place (each member's places are taken only
    // after a pool place), so this finds one; a live member is preferred to one that must be started again.
    private Member TakeMember()
    {
        while (true)
        {
            foreach (var live in new[] { true, false })
            {
                foreach (var member in _members)
                {
                    if ((member.Session is { IsAlive: true }) == live && member.Calls.Wait(0)) return member;
                }
            }
            Thread.Yield(); // another call took the place this one saw; another is free
        }
    }

    // The member's server, started (again) when it is not running.
    private async Task<ICarrierSession> EnsureRunningAsync(Member member, CancellationToken cancellationToken)
    {
        if (member.Session is { IsAlive: true } running) return running;
        await member.Restart.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (member.Session is { IsAlive: true } started) return started;
            if (member.Session is { } dead) await DisposeQuietly(dead).ConfigureAwait(false);
            member.Session = null;
            return member.Session = Watch(member, await _factory.StartAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            member.Restart.Release();
        }
    }

    // Replaces a member that died or hung, unless another call did already. False when it cannot be started again.
    private async Task<bool> ReplaceAsync(Member member, ICarrierSession failed)
    {
        await member.Restart.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _disposed) != 0) return false;
            if (!ReferenceEquals(member.Session, failed)) return member.Session is { IsAlive: true };
            member.Session = null;
            await DisposeQuietly(failed).ConfigureAwait(false);
            member.Session = Watch(member, await _factory.StartAsync(CancellationToken.None).ConfigureAwait(false));
            return true;
        }
#pragma warning disable CA1031 // a member that cannot start again makes the pool dead; the run replaces the pool
        catch (Exception)
        {
            _broken = true;
            return false;
        }
#pragma warning restore CA1031
        finally
        {
            member.Restart.Release();
        }
    }

    // A member whose server exits between calls (killed, crashed while idle) is replaced at once, in the background,
    // rather than by the next call handed to it: that call may be a create already in flight, which must not wait
    // for a server to start.
    private ICarrierSession Watch(Member member, ICarrierSession session)
    {
        if (session is McpCarrierSession server)
            _ = server.Closed.ContinueWith(_ => Volatile.Read(ref _disposed) == 0 ? ReplaceAsync(member, session) : Task.FromResult(false),
                CancellationToken.None, TaskContinuationOptions.RunContinuationsAsynchronously, TaskScheduler.Default).Unwrap();
        return session;
    }

    private static async Task DisposeQuietly(ICarrierSession session)
    {
        try { await session.DisposeAsync().ConfigureAwait(false); }
#pragma warning disable CA1031 // a dead server may fail to stop; it is being replaced anyway
        catch (Exception) { }
#pragma warning restore CA1031
    }

    private sealed class Member(int calls)
    {
        /// <summary>The member's free places.</summary>
        public SemaphoreSlim Calls { get; } = new(calls, calls);

        /// <summary>One start of the member's server at a time.</summary>
        public SemaphoreSlim Restart { get; } = new(1, 1);

        private ICarrierSession? _session;

        public ICarrierSession? Session
        {
            get => Volatile.Read(ref _session);
            set => Volatile.Write(ref _session, value);
        }
    }
}
