namespace BatchShip.Engine.Carriers;

/// <summary>How to start one carrier's MCP server over stdio, and which of its tools to call.</summary>
/// <param name="Name">The profile's name (e.g. <c>Sandbox</c>), as the user types it after -Carrier.</param>
/// <param name="Command">The executable that starts the server.</param>
public sealed record CarrierProfile(string Name, string Command)
{
    /// <summary>The per-call timeout used when a profile names none.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The message limit of a profile that names none: far above any real answer (a UPS ship response with
    /// a few labels is well under 1 MB), far below what hurts the host.</summary>
    public const long DefaultMaxMessageBytes = 16L * 1024 * 1024;

    /// <summary>The label limit of a profile that names none: a 4x6 label is tens of kilobytes, even as a PDF.</summary>
    public const long DefaultMaxLabelBytes = 8L * 1024 * 1024;

    /// <summary>The command-line arguments of the server.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Variables added to the server's environment (on top of the few it inherits, see
    /// <see cref="CarrierChildEnvironment"/>). A value written
    /// <c>$env:NAME</c> is read from this process's environment at start, so secrets live only there.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The tool that creates a shipment.</summary>
    public string CreateTool { get; init; } = "create_shipment";

    /// <summary>The tool that finds a shipment by reference, or null when the carrier has none.</summary>
    public string? LookupTool { get; init; } = "recover_label";

    /// <summary>How long one tool call may take before its outcome is declared unknown.</summary>
    public TimeSpan CallTimeout { get; init; } = DefaultCallTimeout;

    /// <summary>How long the server may take to start and list its tools. Kept apart from <see cref="CallTimeout"/>:
    /// a short call timeout must not turn a slow start on a busy machine into "carrier unavailable".</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest single message (one JSON-RPC line) read from the server, in bytes.</summary>
    public long MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>The largest label image accepted for one package, in bytes (decoded).</summary>
    public long MaxLabelBytes { get; init; } = DefaultMaxLabelBytes;

    /// <summary>The server's working directory, or null for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The tool that validates a street address (-ValidateAddress), or null when the carrier has none.</summary>
    public string? ValidateTool { get; init; } = "validate_address";

    /// <summary>The tool that tracks a package by its tracking number (Update-BatchShipmentTracking), or null when the
    /// carrier has none.</summary>
    public string? TrackTool { get; init; } = "track_package";
}
