namespace BatchShip.SandboxCarrier.Faults;

/// <summary>The drastic fault actions, behind an interface so they stay out of the tool logic.</summary>
public interface IProcessControl
{
    /// <summary>Ends the process at once, without answering pending calls or flushing anything.</summary>
    void Crash();

    /// <summary>Never completes (unless the call is cancelled).</summary>
    Task HangAsync(CancellationToken cancellationToken);
}
