namespace BatchShip.Engine.Execution;

/// <summary>
/// How many creates may be at the carrier at once, shared by every worker of a run. An answer saying the carrier
/// is overloaded (503, nothing made) halves it (the whole job slows down, not just the worker that was told);
/// a rate limit (429) cuts the pace instead (<see cref="AdaptiveRate"/>); each run of successes as
/// long as the current limit adds one back, up to the throttle the user chose (additive increase,
/// multiplicative decrease, as TCP does).
/// </summary>
public sealed class AdaptiveConcurrency
{
    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly int _max;
    private int _inUse;
    private int _successes;

    public AdaptiveConcurrency(int max)
    {
        _max = Math.Max(1, max);
        Limit = _max;
    }

    /// <summary>The current limit, between 1 and the throttle.</summary>
    public int Limit { get; private set; }

    /// <summary>Waits for a slot under the current limit.</summary>
    public Task AcquireAsync()
    {
        lock (_gate)
        {
            if (_inUse < Limit)
            {
                _inUse++;
                return Task.CompletedTask;
            }
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
            return waiter.Task;
        }
    }

    /// <summary>Gives a slot back, saying whether the carrier said it is overloaded. Returns the new limit.</summary>
    public int Release(bool overloaded)
    {
        lock (_gate)
        {
            _inUse--;
            if (overloaded)
            {
                Limit = Math.Max(1, Limit / 2);
                _successes = 0;
            }
            else if (Limit < _max && ++_successes >= Limit)
            {
                Limit++;
                _successes = 0;
            }
            while (_inUse < Limit && _waiting.Count > 0)
            {
                _inUse++;
                _waiting.Dequeue().TrySetResult();
            }
            return Limit;
        }
    }
}
