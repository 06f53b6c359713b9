using System.Diagnostics;

namespace BatchShip.SandboxCarrier.Faults;

public sealed class ProcessControl : IProcessControl
{
    public void Crash()
    {
        Console.Error.WriteLine("sandbox: crash_after_create fault: the shipment is in the ledger; terminating without an answer");
        Console.Error.Flush();
        // Kill rather than Environment.Exit: exit handlers would let the host shut down gracefully,
        // and a real crash gives no such courtesy.
        Process.GetCurrentProcess().Kill();
    }

    public Task HangAsync(CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("sandbox: hang_after_create fault: the shipment is in the ledger; this call will never be answered");
        return Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
    }
}
