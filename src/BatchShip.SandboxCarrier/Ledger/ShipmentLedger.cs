namespace BatchShip.SandboxCarrier.Ledger;

/// <summary>
/// The append-only JSON-lines ledger. Appends are serialized across threads (a semaphore) and
/// across processes (a lock file), and every append is flushed to disk before it returns, so a
/// shipment is durable before its response leaves the process. Creates that arrive together share
/// one flush (group commit): the writer that holds the lock writes every waiting record, then syncs once.
/// </summary>
public sealed class ShipmentLedger : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LedgerState _state = new();
    private readonly object _waitingGate = new();
    private readonly List<PendingCreate> _waiting = [];
    private long _offset;

    private sealed record PendingCreate(Func<long, LedgerRecord> Build)
    {
        public TaskCompletionSource<ShipmentEntry> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public ShipmentLedger(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    private string LockPath => Path + ".lock";

    /// <summary>
    /// Appends a create record built from the next free package sequence. The sequence is read
    /// under the cross-process lock so two processes never mint the same tracking number.
    /// </summary>
    public async Task<ShipmentEntry> AppendShipmentAsync(Func<long, LedgerRecord> build, CancellationToken cancellationToken)
    {
        var mine = new PendingCreate(build);
        lock (_waitingGate) _waiting.Add(mine);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!mine.Done.Task.IsCompleted) await WriteWaitingAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        return await mine.Done.Task.ConfigureAwait(false);
    }

    // Holds the gate: writes every create waiting now (each built from the next free sequence, read
    // back before the next is built), then one flush to disk for all of them.
    private async Task WriteWaitingAsync(CancellationToken cancellationToken)
    {
        List<PendingCreate> batch;
        lock (_waitingGate)
        {
            batch = [.. _waiting];
            _waiting.Clear();
        }
        try
        {
            EnsureDirectory();
            using var fileLock = await LedgerFileLock.AcquireAsync(LockPath, cancellationToken).ConfigureAwait(false);
            CatchUp();
            var written = new List<(PendingCreate Pending, string ShipmentId)>(batch.Count);
            using (var stream = OpenForAppend())
            {
                foreach (var pending in batch)
                {
                    var record = pending.Build(_state.MaxSequence + 1);
                    stream.Write(LedgerSerializer.ToLine(record));
                    stream.Flush();
                    CatchUp();
                    written.Add((pending, record.ShipmentId));
                }
                stream.Flush(flushToDisk: true);
            }
            foreach (var (pending, id) in written)
                pending.Done.TrySetResult(_state.Find(id) ?? throw new IOException("The ledger did not read back the shipment just written."));
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Done.TrySetException(e);
        }
    }

    /// <summary>Voids once; later calls report the earlier void and write nothing.</summary>
    public async Task<(ShipmentEntry? Entry, bool AlreadyVoided)> VoidAsync(string shipmentId, string at, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureDirectory();
            using var fileLock = await LedgerFileLock.AcquireAsync(LockPath, cancellationToken).ConfigureAwait(false);
            CatchUp();
            var entry = _state.Find(shipmentId);
            if (entry is null) return (null, false);
            if (entry.Voided) return (entry, true);
            Append(new LedgerRecord { Type = LedgerRecord.VoidType, ShipmentId = entry.ShipmentId, At = at });
            CatchUp();
            return (_state.Find(shipmentId), false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads what other processes appended since the last look; needs no file lock.</summary>
    public async Task<IReadOnlyList<ShipmentEntry>> SnapshotAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CatchUp();
            return _state.Shipments;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads a ledger file once, for the command line.</summary>
    public static IReadOnlyList<ShipmentEntry> ReadAll(string path)
    {
        using var ledger = new ShipmentLedger(path);
        ledger.CatchUp();
        return ledger._state.Shipments;
    }

    /// <summary>
    /// Throws (IOException, UnauthorizedAccessException) when shipments could not be recorded: the path is a folder,
    /// or the file or its folder cannot be written. Checked at start, so a misconfigured sandbox exits at once instead
    /// of failing every create. A ledger that does not exist yet is not created (a probe file proves its folder).
    /// </summary>
    public void EnsureWritable()
    {
        if (Directory.Exists(Path)) throw new IOException($"The ledger path {Path} is a folder, not a file.");
        EnsureDirectory();
        if (File.Exists(Path))
        {
            using var existing = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return;
        }
        var probe = $"{Path}.{Environment.ProcessId}.probe";
        using var created = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
    }

    private void EnsureDirectory()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
    }

    private void Append(LedgerRecord record)
    {
        using var stream = OpenForAppend();
        stream.Write(LedgerSerializer.ToLine(record));
        stream.Flush(flushToDisk: true);
    }

    private FileStream OpenForAppend()
    {
        var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > 0)
        {
            // A crashed writer may have left a torn line without its newline: close it off so
            // our record starts on a line of its own (the torn one is then skipped on read).
            stream.Seek(-1, SeekOrigin.End);
            if (stream.ReadByte() != '\n') stream.WriteByte((byte)'\n');
        }
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Folds complete lines past the last read offset; an unterminated tail is left for later.</summary>
    private void CatchUp()
    {
        if (!File.Exists(Path)) return;
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < _offset)
        {
            // The file was replaced or truncated: start over rather than trust stale offsets.
            _state.Clear();
            _offset = 0;
        }
        stream.Seek(_offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - _offset];
        stream.ReadExactly(buffer);

        var start = 0;
        for (var i = 0; i < buffer.Length; i++)
        {
            if (buffer[i] != '\n') continue;
            var line = buffer.AsSpan(start, i - start);
            if (LedgerSerializer.TryParse(line) is { } record) _state.Apply(record);
            start = i + 1;
        }
        _offset += start;
    }

    public void Dispose() => _gate.Dispose();
}
