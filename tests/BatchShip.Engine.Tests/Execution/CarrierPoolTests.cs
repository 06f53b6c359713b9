using System.Diagnostics;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Tests.Execution;

/// <summary>
/// A carrier whose server works on one call at a time (maxConcurrentCalls 1, the sandbox's sequential=on, as
/// matt-hans/ups-mcp): a run with -ThrottleLimit 4 gets a pool of four server processes, the real sandbox over stdio.
/// </summary>
public sealed class CarrierPoolTests : IDisposable
{
    private readonly BatchHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static IReadOnlyList<KeyValuePair<string, string>>[] Orders(string prefix, int count) =>
        Enumerable.Range(1, count).Select(i => (IReadOnlyList<KeyValuePair<string, string>>)BatchHarness.Order($"{prefix}-{i}")).ToArray();

    [Fact]
    public async Task A_server_that_serves_one_call_at_a_time_gets_one_process_per_row_in_flight()
    {
        _h.Faults = "sequential=on;latency=300ms";
        _h.MaxConcurrentCalls = 1;
        var job = _h.Stage(Orders("POOL", 8), new JobOptions { ThrottleLimit = 4 });

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Equal(8, summary.Count(RowStatus.Completed));
        _h.AssertShippedOnceEach(8);
        Assert.Equal(4, _h.ReadCallPids("create_shipment").Distinct().Count());
    }

    [Fact]
    public async Task A_process_taking_two_calls_at_once_is_never_given_a_third()
    {
        // max_inflight=2 refuses (503) a third call that reaches one process while it serves two.
        _h.Faults = "max_inflight=2;latency=300ms";
        _h.MaxConcurrentCalls = 2;
        var job = _h.Stage(Orders("PAIR", 8), new JobOptions { ThrottleLimit = 4 });

        var (summary, _) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.DoesNotContain(_h.ReadCalls(), c => c.Outcome == "refused");
        Assert.Equal(8, _h.ReadLedger().Count);
        Assert.Equal(2, _h.ReadCallPids("create_shipment").Distinct().Count());
    }

    [Fact]
    public async Task A_call_timeout_shorter_than_the_servers_queue_sends_no_row_to_lookup()
    {
        // Four creates queued on one sequential server would answer after 2, 4, 6 and 8 s: the last would time out and
        // be looked up. Each on its own server, every create answers well within the timeout (the 5 s of slack are for
        // a busy machine and a server's cold first call: 2.5 s were not enough on a shared machine at load 40).
        _h.Faults = "sequential=on;latency=2000ms";
        _h.CallTimeout = TimeSpan.FromSeconds(7);
        _h.MaxConcurrentCalls = 1;
        var job = _h.Stage(Orders("QUEUE", 4), new JobOptions { ThrottleLimit = 4 });

        var (summary, events) = await _h.RunAsync(job.JobId);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Equal(4, summary.Count(RowStatus.Completed));
        Assert.Empty(events.Of<RowNeedsReview>());
        var audit = _h.Store.ReadAudit(job.JobId);
        Assert.DoesNotContain(audit, a => a.Event is "OutcomeUnknown" or "CarrierLookup");
        Assert.Equal(4, _h.ReadLedger().Count);
    }

    [Fact]
    public async Task A_killed_server_is_replaced_alone_and_every_row_ships_once()
    {
        // Calls long enough that the four workers keep every server busy, the replacement included.
        _h.Faults = "sequential=on;latency=500ms";
        _h.CallTimeout = TimeSpan.FromSeconds(5); // a row cut off by the kill may wait this long for its absence proof
        _h.MaxConcurrentCalls = 1;
        var job = _h.Stage(Orders("KILL", 20), new JobOptions { ThrottleLimit = 4 });
        var killed = 0;
        var observer = new RecordingObserver(e =>
        {
            if (e is not RowCompleted || Interlocked.CompareExchange(ref killed, -1, 0) != 0) return;
            var pid = _h.ReadCallPids("create_shipment")[0];
            using (var server = Process.GetProcessById(pid)) server.Kill();
            Volatile.Write(ref killed, pid);
        });

        var (summary, _) = await _h.RunAsync(job.JobId, observer: observer);

        Assert.Equal(JobStatus.Completed, summary.Job.Status);
        Assert.Equal(20, summary.Count(RowStatus.Completed));
        _h.AssertShippedOnceEach(20);
        var pids = _h.ReadCallPids("create_shipment").Concat(_h.ReadCallPids("recover_label")).Distinct().ToList();
        Assert.Contains(Volatile.Read(ref killed), pids);
        // The four first servers and one replacement: the three others kept serving, they were not restarted.
        Assert.Equal(5, pids.Count);
    }
}
