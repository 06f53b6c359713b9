namespace BatchShip.Engine.Execution;

/// <summary>Receives a run's events. Called from worker threads; must not block for long.</summary>
public interface IBatchObserver
{
    void OnEvent(BatchEvent batchEvent);
}
