using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Reflection.Emit;
using BatchShip.Engine.Templates;
using Xunit;

namespace BatchShip.Engine.Tests.Templates;

/// <summary>
/// A template's functions are called without the runtime emitting code per call: an imported delegate is invoked
/// through <c>Delegate.DynamicInvoke</c>, whose invoke stub (a DynamicMethod named after the delegate type, such as
/// <c>InvokeStub_Func`3.Invoke</c>) is emitted again after every garbage collection, and then finalized: on a long
/// batch that cost a quarter of the process's CPU.
/// </summary>
public sealed class TemplateFunctionCallTests
{
    private const string Source = """
        { "name": "{{ col "Name" }}", "to": "{{ required "City" }}", "w": "{{ weight row.Weight }}",
          "c": "{{ country "us" }}", "p": "{{ postal "10001" "US" }}", "s": "{{ state "ny" "US" }}",
          "line": "{{ (address_lines "1 Main St" "" "")[0] }}", "n": {{ num "3" }}, "t": "{{ truncate "abcdef" 3 }}" }
        """;

    [Fact]
    public void Rendering_after_garbage_collections_emits_no_delegate_invoke_stubs()
    {
        var template = ShipmentTemplate.Parse("functions", Source);
        var input = TemplateKit.Input(1, ("Name", "Ann"), ("City", "Reno"), ("Weight", "2.5"));
        // The first calls of a reflection-invoked method may emit its stub once; that is not the cost looked for.
        for (var i = 0; i < 3; i++) template.Render(input);

        using var listener = new InvokeStubListener();
        for (var gc = 0; gc < 3; gc++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            for (var i = 0; i < 3; i++) template.Render(input);
        }

        var emitted = listener.StubsEmittedBeforeSentinel();
        Assert.True(emitted.Count == 0, "Invoke stubs emitted per call: " + string.Join(", ", emitted));
    }

    /// <summary>Collects the names of the runtime's delegate invoke stubs as they are compiled. Runtime events reach a
    /// listener on another thread, later: a DynamicMethod compiled at the end (the sentinel) marks where the events
    /// of the test's own work have all arrived.</summary>
    private sealed class InvokeStubListener : EventListener
    {
        private const int MethodLoadVerbose = 143;
        private const long JitKeyword = 0x10;
        private readonly ConcurrentQueue<string> _stubs = new();
        private readonly ManualResetEventSlim _sentinelSeen = new();
        private readonly string _sentinel = "Sentinel_" + Guid.NewGuid().ToString("N");

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)JitKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventId != MethodLoadVerbose || e.PayloadNames is null) return;
            var name = e.Payload![e.PayloadNames.IndexOf("MethodName")] as string ?? "";
            if (name == _sentinel) _sentinelSeen.Set();
            else if (name.StartsWith("InvokeStub_Func`", StringComparison.Ordinal) || name.StartsWith("InvokeStub_Action`", StringComparison.Ordinal))
                _stubs.Enqueue(name);
        }

        public IReadOnlyList<string> StubsEmittedBeforeSentinel()
        {
            var method = new DynamicMethod(_sentinel, typeof(int), Type.EmptyTypes);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Ret);
            ((Func<int>)method.CreateDelegate(typeof(Func<int>)))();
            Assert.True(_sentinelSeen.Wait(TimeSpan.FromMinutes(1)), "The runtime's JIT events never arrived.");
            return _stubs.ToArray();
        }

        public override void Dispose()
        {
            base.Dispose();
            _sentinelSeen.Dispose();
        }
    }
}
