using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Starts a carrier's MCP server and speaks to it over its stdin and stdout, like the SDK's stdio transport but with
/// bounds the SDK does not have: one line of stdout may be at most <see cref="CarrierProfile.MaxMessageBytes"/>
/// (<see cref="BoundedLineStream"/>), and stderr is drained in blocks of which only the last few kilobytes are kept,
/// because a server that writes gigabytes to stderr without a newline must not grow the host either.
/// </summary>
public sealed class CarrierProcessTransport : IClientTransport
{
    private readonly CarrierProfile _profile;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly StderrTail _stderr = new(McpCarrierSession.StandardErrorTailChars);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private BoundedLineStream? _stdout;
    private Task _stderrDrained = Task.CompletedTask;
    private int? _exitCode;

    /// <param name="profile">The command, arguments, working directory and limits.</param>
    /// <param name="environment">The server's whole environment.</param>
    public CarrierProcessTransport(CarrierProfile profile, IReadOnlyDictionary<string, string?> environment)
    {
        _profile = profile;
        _environment = environment;
        Name = profile.Name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The last characters the server wrote to stderr (at most <see cref="McpCarrierSession.StandardErrorTailChars"/>).</summary>
    public string StandardErrorTail => _stderr.Text;

    /// <summary>Completes when the server process has exited (never, if it was not started).</summary>
    public Task Exited => _exited.Task;

    /// <summary>The server's exit code once it has exited, else null.</summary>
    public int? ExitCode
    {
        get
        {
            if (_exitCode is int code) return code;
            try { return _process is { HasExited: true } p ? p.ExitCode : null; }
            catch (InvalidOperationException) { return null; } // disposed meanwhile
        }
    }

    /// <summary>The stderr tail once everything the server wrote before it exited has been read (waiting at most
    /// <paramref name="wait"/>): an exit is seen before the last lines of its error output are.</summary>
    public async Task<string> StandardErrorTailAfterExitAsync(TimeSpan wait)
    {
        try { await _stderrDrained.WaitAsync(wait).ConfigureAwait(false); }
        catch (TimeoutException) { } // a child of the server may hold stderr open: what was read is all there is
        return StandardErrorTail;
    }

    /// <summary>Why the connection ended, in a sentence, when this side ended it or the server exited; else null.</summary>
    public string? CloseReason
    {
        get
        {
            if (_stdout is { Exceeded: true })
                return $"Carrier '{Name}' sent a message longer than the limit of {BoundedLineStream.Megabytes(_profile.MaxMessageBytes)} (maxMessageMegabytes in its profile); the connection was closed.";
            if (_exitCode is int code) return $"Carrier '{Name}' is no longer running (exit code {code}).";
            try
            {
                if (_process is { HasExited: true } p) return $"Carrier '{Name}' is no longer running (exit code {p.ExitCode}).";
            }
            catch (InvalidOperationException) { } // disposed meanwhile
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo
        {
            FileName = _profile.Command,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = _profile.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        // npx, uvx and friends are batch files on Windows, which only a shell can start.
        if (OperatingSystem.IsWindows() && !_profile.Command.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
        {
            start.FileName = "cmd.exe";
            start.ArgumentList.Add("/c");
            start.ArgumentList.Add(_profile.Command);
        }
        foreach (var argument in _profile.Arguments) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (key, value) in _environment)
            if (value is not null) start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        try
        {
            if (!process.Start()) throw new IOException($"The carrier's server ({_profile.Command}) did not start.");
        }
        catch
        {
            process.Dispose();
            throw;
        }
        _process = process;
        // The stream is taken here, not in the task: a server that exits at once gets its session disposed (and the
        // process with it) before a task queued on a busy pool has run, and the start error must still quote stderr.
        var stderr = process.StandardError.BaseStream;
        _stderrDrained = Task.Run(() => _stderr.DrainAsync(stderr), CancellationToken.None);
        _ = process.WaitForExitAsync(CancellationToken.None).ContinueWith(_ => _exited.TrySetResult(), TaskScheduler.Default);

        _stdout = new BoundedLineStream(process.StandardOutput.BaseStream, _profile.MaxMessageBytes);
        var inner = await new StreamClientTransport(process.StandardInput.BaseStream, _stdout).ConnectAsync(cancellationToken).ConfigureAwait(false);
        return new Session(inner, process, code => _exitCode = code);
    }

    /// <summary>The SDK's stream session, plus the process: disposing it stops the server and everything it started.</summary>
    private sealed class Session(ITransport inner, Process process, Action<int?> exited) : ITransport
    {
        private int _disposed;

        public string? SessionId => inner.SessionId;

        public ChannelReader<JsonRpcMessage> MessageReader => inner.MessageReader;

        public Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default) =>
            inner.SendMessageAsync(message, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { }
            catch (System.ComponentModel.Win32Exception) { }
            await inner.DisposeAsync().ConfigureAwait(false);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await process.WaitForExitAsync(wait.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            try { exited(process.HasExited ? process.ExitCode : null); }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
    }

    /// <summary>Reads stderr in blocks and keeps only its last characters.</summary>
    private sealed class StderrTail(int capacity)
    {
        private readonly object _gate = new();
        private readonly StringBuilder _tail = new();

        public string Text
        {
            get { lock (_gate) return _tail.ToString(); }
        }

        public async Task DrainAsync(Stream stderr)
        {
            var buffer = new byte[16 * 1024];
            var decoder = new UTF8Encoding(false).GetDecoder();
            var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
            try
            {
                int read;
                while ((read = await stderr.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    var count = decoder.GetChars(buffer, 0, read, chars, 0);
                    lock (_gate)
                    {
                        _tail.Append(chars, Math.Max(0, count - capacity), Math.Min(count, capacity));
                        if (_tail.Length > capacity) _tail.Remove(0, _tail.Length - capacity);
                    }
                }
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
        }
    }
}
