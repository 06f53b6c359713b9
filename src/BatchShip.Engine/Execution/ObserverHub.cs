namespace BatchShip.Engine.Execution;

/// <summary>
/// Hands each event to every observer. One observer's exception never reaches another observer or the
/// batch: it is recorded in the audit log and the run goes on.
/// </summary>
internal sealed class ObserverHub
{
    private readonly IReadOnlyList<IBatchObserver> _observers;
    private readonly Action<IBatchObserver, BatchEvent, Exception> _onObserverFailure;

    public ObserverHub(IReadOnlyList<IBatchObserver> observers, Action<IBatchObserver, BatchEvent, Exception> onObserverFailure)
    {
        _observers = observers;
        _onObserverFailure = onObserverFailure;
    }

    public void Publish(BatchEvent e)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnEvent(e);
            }
#pragma warning disable CA1031 // isolating observers is the point
            catch (Exception ex)
            {
                try { _onObserverFailure(observer, e, ex); } catch { /* never let reporting a failure fail the batch */ }
            }
#pragma warning restore CA1031
        }
    }
}
