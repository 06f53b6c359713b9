using System.Collections;
using System.Management.Automation;

namespace BatchShip.Cmdlets.Testing;

/// <summary>
/// A sandbox in force: where its store and ledger are, and what it injects. <see cref="Undo"/> (or Dispose) puts the
/// environment back as it was before Use-BatchShipSandbox; inside Pester that happens by itself at the end of the
/// block or test that made it.
/// </summary>
public sealed class SandboxScope : IDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _saved;
    private readonly bool _ownsFolder;
    private IList? _hooks;
    private object? _hook;

    internal SandboxScope(string path, string ledgerPath, string? faults, int? seed, IReadOnlyDictionary<string, string?> saved, bool ownsFolder)
    {
        Path = path;
        LedgerPath = ledgerPath;
        Faults = faults;
        Seed = seed;
        _saved = saved;
        _ownsFolder = ownsFolder;
    }

    /// <summary>The sandbox folder; BATCHSHIP_HOME points at it, so it holds the store and the labels.</summary>
    public string Path { get; }

    /// <summary>The sandbox carrier's ledger file.</summary>
    public string LedgerPath { get; }

    /// <summary>The fault specification the sandbox carrier injects, or null.</summary>
    public string? Faults { get; }

    /// <summary>The seed of the sandbox's random faults, or null.</summary>
    public int? Seed { get; }

    /// <summary>The Pester block or test at whose end the sandbox is undone by itself; null outside Pester.</summary>
    public string? UndoneAfter { get; internal set; }

    /// <summary>True until the sandbox is undone.</summary>
    public bool Active { get; private set; } = true;

    /// <summary>Puts every variable the sandbox set back as it was; a second call does nothing.</summary>
    public void Undo()
    {
        if (!Active) return;
        Active = false;
        if (_hooks is not null && _hook is not null && _hooks.Contains(_hook)) _hooks.Remove(_hook);
        _hooks = null;
        _hook = null;
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        if (_ownsFolder)
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a temp folder; the system cleans it */ }
        }
    }

    /// <summary>Same as <see cref="Undo"/>.</summary>
    public void Dispose() => Undo();

    /// <summary>Remembers the Pester hook that undoes this sandbox, so that an explicit Undo removes it.</summary>
    internal void AttachHook(IList hooks, object hook, string undoneAfter)
    {
        _hooks = hooks;
        _hook = hook;
        UndoneAfter = undoneAfter;
    }

    public override string ToString() => Path;

    /// <summary>This scope as PowerShell shows it, under its stable type name.</summary>
    internal PSObject ToPSObject()
    {
        var wrapped = PSObject.AsPSObject(this);
        wrapped.TypeNames.Insert(0, "BatchShip.SandboxScope");
        return wrapped;
    }
}
