namespace BatchShip.Engine.Execution;

/// <summary>
/// The pace of a run's create calls, learned from the carrier's 429s (a carrier account has a rate limit it does
/// not publish). Unpaced until the first 429 (or paced at -MaxRequestsPerSecond, which stays the ceiling). A 429
/// sets the pace to 90 % of what the carrier accepted over the last second (calls admitted minus calls refused), or
/// of the current pace if lower, but never below half the current pace in one cut. After a cut the carrier's bucket
/// still shows the old pace for a while (and calls queued behind a store commit reach it in clumps), so the 429s of
/// calls admitted within one second after a cut are counted but cut nothing: cutting on each of them sent the pace
/// from 20/s to 9/s in half a second. Between cuts the pace grows by 1 % (at least 0.1/s) per second, so a run keeps
/// probing just above the limit and settles within about 10 % under it with few refusals (at 2 % a second, 5 % of the
/// calls to a 20/s account were refused) (additive increase,
/// multiplicative decrease on the rate, not on the concurrency: with one-second calls, halving the calls in flight
/// would halve the throughput). A Retry-After pauses every caller until then. Waiting happens before the row is
/// committed InFlight. Runs that share a carrier account share what they learn through the store
/// (<see cref="SharedRateBudget"/>): each adopts its share of the account's pace, its share of -MaxRequestsPerSecond,
/// and the account's Retry-After pause.
/// </summary>
public sealed class AdaptiveRate
{
    private const double Cut = 0.9;
    private const double GrowthPerSecond = 0.01;
    private const double MinGrowthPerSecond = 0.1;
    private const double Floor = 0.1;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly double? _accountCeiling;
    private double? _ceiling;
    private int _cuts;
    private bool _learned; // the pace came from a 429, here or in another run of the account, not from the ceiling
    private readonly Queue<long> _recentSends = new();
    private readonly Queue<long> _recentRefusals = new();
    private double? _base;
    private long _baseSince;
    private long _next;
    private long _pausedUntil;
    private long _quietUntil = long.MinValue;

    public AdaptiveRate(double? ceiling, TimeProvider time)
    {
        _time = time;
        _accountCeiling = ceiling is > 0 ? ceiling : null;
        _ceiling = _accountCeiling;
        _base = _ceiling;
        _baseSince = time.GetTimestamp();
    }

    /// <summary>The current pace in calls per second; null while unpaced.</summary>
    public double? RequestsPerSecond
    {
        get { lock (_gate) return PaceAt(_time.GetTimestamp()); }
    }

    /// <summary>Waits for this call's turn under the pace and any Retry-After pause. Returns when the call was
    /// admitted (a timestamp of the run's clock), to hand to <see cref="RateLimited"/> if the carrier refuses it.</summary>
    public async Task<long> WaitTurnAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long slot, now;
            lock (_gate)
            {
                now = _time.GetTimestamp();
                slot = Math.Max(now, _pausedUntil);
                if (PaceAt(slot) is { } pace)
                {
                    slot = Math.Max(slot, _next);
                    _next = slot + Ticks(TimeSpan.FromSeconds(1 / pace));
                }
                if (slot <= now)
                {
                    RecordSend(now);
                    return now;
                }
            }
            await Task.Delay(_time.GetElapsedTime(now, slot), _time, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                now = _time.GetTimestamp();
                // A Retry-After that arrived while this call waited for its slot: wait for the pause too.
                if (_pausedUntil > now) continue;
                RecordSend(now);
                return now;
            }
        }
    }

    /// <summary>The carrier refused a call admitted at <paramref name="admittedAt"/> with a 429. Returns the new
    /// pace when this refusal cut it (null when an earlier cut already covers it), and pauses every caller for
    /// <paramref name="retryAfter"/> when the carrier said so.</summary>
    public double? RateLimited(long admittedAt, TimeSpan? retryAfter)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (retryAfter is { } after && after > TimeSpan.Zero) _pausedUntil = Math.Max(_pausedUntil, now + Ticks(after));
            _recentRefusals.Enqueue(now);
            Trim(now);
            if (admittedAt < _quietUntil) return null;
            var sent = Math.Max(1, _recentSends.Count) / Window.TotalSeconds;
            var accepted = Math.Max(1, _recentSends.Count - _recentRefusals.Count) / Window.TotalSeconds;
            var current = PaceAt(now) ?? sent;
            var pace = Math.Max(Floor, Math.Max(current / 2, Cut * Math.Min(current, accepted)));
            _base = _ceiling is { } c ? Math.Min(c, pace) : pace;
            _baseSince = now;
            _quietUntil = now + Ticks(Window);
            _next = Math.Min(_next, now + Ticks(TimeSpan.FromSeconds(1 / _base.Value)));
            _cuts++;
            _learned = true;
            return _base;
        }
    }

    /// <summary>How many times a 429 has cut the pace so far.</summary>
    public int Cuts
    {
        get { lock (_gate) return _cuts; }
    }

    /// <summary>Until when a Retry-After pauses every caller, if that is still ahead.</summary>
    public DateTimeOffset? PausedUntil
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                return _pausedUntil > now ? _time.GetUtcNow() + _time.GetElapsedTime(now, _pausedUntil) : null;
            }
        }
    }

    /// <summary>Takes this run's share of a pace other runs of the account learned: the pace starts again from it (and
    /// grows as after a cut), and the refusals of calls admitted under the old pace within a second cut nothing.</summary>
    public void Adopt(double pace)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var adopted = Math.Max(Floor, pace);
            _base = _ceiling is { } c ? Math.Min(c, adopted) : adopted;
            _baseSince = now;
            _quietUntil = now + Ticks(Window);
            _next = Math.Min(_next, now + Ticks(TimeSpan.FromSeconds(1 / _base.Value)));
            _learned = true;
        }
    }

    /// <summary>Splits -MaxRequestsPerSecond, the account's ceiling, between the runs that use the account.</summary>
    public void ShareCeiling(int runs)
    {
        lock (_gate)
        {
            if (_accountCeiling is not { } ceiling) return;
            _ceiling = ceiling / Math.Max(1, runs);
            // A pace that is only the ceiling follows it up and down; a learned one is only capped.
            if (!_learned || _base > _ceiling) _base = _ceiling;
        }
    }

    /// <summary>Pauses every caller until then, as the carrier asked another run of the account (Retry-After).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var ahead = until - _time.GetUtcNow();
            if (ahead > TimeSpan.Zero) _pausedUntil = Math.Max(_pausedUntil, now + Ticks(ahead));
        }
    }

    private double? PaceAt(long at)
    {
        if (_base is not { } start) return null;
        var seconds = Math.Max(0, _time.GetElapsedTime(_baseSince, at).TotalSeconds);
        var pace = start + seconds * Math.Max(MinGrowthPerSecond, start * GrowthPerSecond);
        return _ceiling is { } c ? Math.Min(c, pace) : pace;
    }

    private void RecordSend(long at)
    {
        _recentSends.Enqueue(at);
        Trim(at);
    }

    private void Trim(long now)
    {
        while (_recentSends.Count > 0 && _time.GetElapsedTime(_recentSends.Peek(), now) > Window) _recentSends.Dequeue();
        while (_recentRefusals.Count > 0 && _time.GetElapsedTime(_recentRefusals.Peek(), now) > Window) _recentRefusals.Dequeue();
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
