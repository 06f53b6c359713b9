using System.Text.Json;
using BatchShip.Engine.Errors;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// A carrier's MCP server started over stdio, used for every row of a run. Calls may overlap: the MCP client matches
/// answers to requests by id. Every call has the profile's timeout. When the server process exits, <see cref="IsAlive"/>
/// turns false (the client's completion task finishes); from then on creates are <see cref="CreateOutcome.Unknown"/>
/// and lookups <see cref="LookupOutcome.Unavailable"/>, and the executor disposes this session and starts a new one
/// through <see cref="McpCarrierSessionFactory"/> before it looks up the references whose outcome is unknown.
/// </summary>
public sealed class McpCarrierSession : ICarrierSession
{
    private readonly McpClient _client;
    private readonly CarrierProcessTransport _transport;
    private readonly CarrierProfile _profile;
    private readonly CarrierText _text;
    private readonly bool _hasLookupTool;
    private readonly bool _lookupTakesVersion;
    private readonly bool _hasRateTool;
    private int _disposed;

    private McpCarrierSession(McpClient client, CarrierProcessTransport transport, CarrierProfile profile, CarrierText text, bool hasLookupTool, bool lookupTakesVersion,
        IReadOnlyList<string> tools, bool hasRateTool)
    {
        Tools = tools;
        OfferedTools = tools.ToHashSet(StringComparer.Ordinal);
        _hasRateTool = hasRateTool;
        _text = text;
        _client = client;
        _transport = transport;
        _profile = profile;
        _hasLookupTool = hasLookupTool;
        _lookupTakesVersion = lookupTakesVersion;
    }

    /// <summary>How much of the server's stderr is kept (its last characters), for messages.</summary>
    public const int StandardErrorTailChars = 4096;

    /// <summary>The last characters the server wrote to stderr.</summary>
    public string StandardErrorTail => _text.MaskAll(_transport.StandardErrorTail);

    /// <inheritdoc />
    public string CarrierName => _profile.Name;

    /// <summary>The names of the tools the server listed when it started.</summary>
    public IReadOnlyList<string> Tools { get; }

    /// <summary>The tools the server offers, as a set.</summary>
    public IReadOnlySet<string> OfferedTools { get; }

    /// <summary>Throws E-3011 unless the profile names <paramref name="tool"/> (its key in the profile's "tools":
    /// validate, track) and the server offers it.</summary>
    public void RequireTool(string? tool, string key, string purpose)
    {
        if (tool is null)
            throw new BatchShipException(ErrorCatalog.CarrierToolMissing,
                $"Carrier '{CarrierName}' has no {key} tool (its profile's tools.{key} is null), which {purpose} needs.", field: "Carrier");
        if (!OfferedTools.Contains(tool))
            throw new BatchShipException(ErrorCatalog.CarrierToolMissing,
                $"Carrier '{CarrierName}' does not offer the tool '{tool}' (tools.{key}), which {purpose} needs; it offers: {_text.Clean(string.Join(", ", OfferedTools.Order(StringComparer.Ordinal)))}.", field: "Carrier");
    }

    /// <inheritdoc />
    public bool IsAlive => Volatile.Read(ref _disposed) == 0 && !_client.Completion.IsCompleted;

    /// <summary>Completes when the server has gone (its process exited or its pipe closed) or the session was disposed.</summary>
    public Task Closed => _client.Completion;

    /// <summary>
    /// Starts the server and completes the MCP handshake. A server that cannot be started, exits or does not answer is
    /// an E-4013 error quoting its last error output; a profile that names a create tool the server lacks is E-4007, and
    /// one that reads a credential from an unset variable E-5003.
    /// </summary>
    public static Task<McpCarrierSession> StartAsync(CarrierProfile profile, CancellationToken cancellationToken) =>
        StartAsync(profile, null, cancellationToken);

    /// <summary>Starts the server with the profile's vault secrets taken from <paramref name="secrets"/> (held in memory,
    /// masked in everything the session says).</summary>
    public static Task<McpCarrierSession> StartAsync(CarrierProfile profile, CarrierSecrets? secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var environment = CarrierEnvironment.Resolve(profile.Name, profile.Environment, Environment.GetEnvironmentVariable, secrets);
        return StartAsync(profile, environment, requireCreateTool: true, cancellationToken);
    }

    /// <summary>Starts the server with an environment already resolved, for a check of the carrier
    /// (<see cref="CarrierCheck"/>): with <paramref name="requireCreateTool"/> false a missing create tool is reported
    /// by the caller instead of refusing the start.</summary>
    internal static async Task<McpCarrierSession> StartAsync(CarrierProfile profile, Dictionary<string, string?> environment,
        bool requireCreateTool, CancellationToken cancellationToken)
    {
        // Every word of the carrier's that leaves this session goes through here first.
        var text = new CarrierText(CarrierEnvironment.ReferencedValues(profile.Environment, environment));

        // Not the whole environment of this process: only what a program needs, plus the profile's own variables.
        var childEnvironment = CarrierChildEnvironment.Build(CarrierChildEnvironment.Current(), environment);
        // Our own transport, not the SDK's stdio one: it bounds what the server can make this process hold.
        var transport = new CarrierProcessTransport(profile, childEnvironment);

        McpClient client;
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var connecting = McpClient.CreateAsync(transport,
                new McpClientOptions { InitializationTimeout = profile.StartTimeout }, cancellationToken: handshake.Token);
            try
            {
                // A server that exits during the handshake is reported at once, not after the start timeout.
                if (await Task.WhenAny(connecting, transport.Exited).ConfigureAwait(false) != connecting)
                {
                    await handshake.CancelAsync().ConfigureAwait(false);
                    await Task.WhenAny(connecting).ConfigureAwait(false);
                    if (connecting.IsCompletedSuccessfully) await connecting.Result.DisposeAsync().ConfigureAwait(false);
                    // Stopped by the caller (Ctrl+C, a cancelled run): the server went with it; that is no failure to start.
                    cancellationToken.ThrowIfCancellationRequested();
                    throw await StartFailureAsync(profile, transport, text, "exited during start-up").ConfigureAwait(false);
                }
                client = await connecting.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not BatchShipException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                throw await StartFailureAsync(profile, transport, text, $"could not be started: {ex.Message}").ConfigureAwait(false);
            }
        }

        try
        {
            IList<McpClientTool> tools;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(profile.StartTimeout);
                tools = await client.ListToolsAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
            }

            // A profile without a create tool (validation, tracking) is refused by the batch before it starts a server.
            if (requireCreateTool && profile.CreateTool is not null && !tools.Any(t => t.Name == profile.CreateTool))
                throw new BatchShipException(ErrorCatalog.Configuration,
                    $"Carrier '{profile.Name}' has no tool '{profile.CreateTool}'; it offers: {text.Clean(string.Join(", ", tools.Select(t => t.Name)))}.",
                    field: "createTool");

            var lookup = profile.LookupTool is null ? null : tools.FirstOrDefault(t => t.Name == profile.LookupTool);
            var rates = profile.RateTool is not null && tools.Any(t => t.Name == profile.RateTool);
            return new McpCarrierSession(client, transport, profile, text, lookup is not null, lookup is not null && TakesVersion(lookup),
                tools.Select(t => t.Name).ToArray(), rates);
        }
        catch (Exception ex)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            if (ex is BatchShipException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)) throw;
            throw await StartFailureAsync(profile, transport, text, $"started but did not list its tools: {ex.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>How many characters of the server's last error output a start-up error quotes.</summary>
    public const int StartErrorOutputChars = 1500;

    // A server that fails at start nearly always says why on stderr (a missing file, a bad option, a stack trace):
    // its last lines, masked, are the message. Not retryable and never "wait and resume": the same start fails again.
    private static async Task<BatchShipException> StartFailureAsync(CarrierProfile profile, CarrierProcessTransport transport,
        CarrierText text, string what)
    {
        var output = LastLines(await transport.StandardErrorTailAfterExitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false), StartErrorOutputChars);
        var exit = transport.ExitCode is int code ? $" (exit code {code})" : "";
        var said = output.Length > 0 ? $" Its last error output:\n{text.Clean(output)}" : " It wrote nothing to its error output.";
        return new BatchShipException(ErrorCatalog.CarrierDidNotStart,
            $"Carrier '{profile.Name}' ({profile.Command}) {text.Clean(what)}{exit}.{said}", field: "Carrier");
    }

    // Whole lines from the end, at most maxChars in all (the last line cut from its start when it alone is longer).
    private static string LastLines(string text, int maxChars)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd().Split('\n');
        var kept = new List<string>();
        var length = 0;
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i].TrimEnd();
            if (line.Length == 0) continue;
            if (length + line.Length + 1 > maxChars)
            {
                if (kept.Count == 0) kept.Add(line[^maxChars..]);
                break;
            }
            kept.Insert(0, line);
            length += line.Length + 1;
        }
        return string.Join("\n", kept);
    }

    /// <inheritdoc />
    public async Task<CreateOutcome> CreateShipmentAsync(string argumentsJson, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        Dictionary<string, object?> arguments;
        try { arguments = ToolArguments.FromJsonObject(argumentsJson); }
        catch (JsonException ex)
        {
            // Nothing was sent: the rendered template is not a JSON object.
            return new CreateOutcome.Refused(new BatchShipException(ErrorCatalog.Template,
                $"The rendered request is not a JSON object of tool arguments: {ex.Message}", inner: ex));
        }

        // Per the contract a dead session's create is Unknown: the executor then restarts and looks the reference up.
        if (!IsAlive) return new CreateOutcome.Unknown(DeadReason(), null);

        if (_profile.CreateTool is not { } createTool)
            return new CreateOutcome.Refused(new BatchShipException(ErrorCatalog.CarrierCannotShip,
                $"Carrier '{CarrierName}' has no create tool: its server validates addresses or tracks packages, it does not ship."));

        var call = await CallAsync(createTool, arguments, cancellationToken).ConfigureAwait(false);
        return call switch
        {
            ToolCall.Answered a => Clean(CarrierOutcomeClassifier.ClassifyCreate(a.IsError, a.Text, _profile.MaxLabelBytes, _profile.Response, _profile.Errors)),
            ToolCall.Rejected r => new CreateOutcome.Refused(new BatchShipException(ErrorCatalog.Template,
                $"Carrier '{CarrierName}' rejected the call to {_profile.CreateTool}: {_text.Clean(r.Error.Message)}")),
            ToolCall.Failed f => new CreateOutcome.Unknown(_text.Clean(f.Reason), null) { CarrierHung = f.TimedOut },
            _ => throw new InvalidOperationException("Unexpected call result."),
        };
    }

    /// <inheritdoc />
    public Task<LookupOutcome> LookupByReferenceAsync(string reference, string shipperNumber, CancellationToken cancellationToken) =>
        RecoverLabelsAsync(reference, shipperNumber, ToolArguments.LabelRecoveryFormat, cancellationToken);

    /// <inheritdoc />
    public async Task<LookupOutcome> RecoverLabelsAsync(string reference, string shipperNumber, string labelFormat, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_profile.LookupTool is null) return new LookupOutcome.Unavailable($"Carrier '{CarrierName}' has no lookup tool.");
        if (!_hasLookupTool) return new LookupOutcome.Unavailable($"Carrier '{CarrierName}' does not offer the tool '{_profile.LookupTool}'.");
        if (!IsAlive) return new LookupOutcome.Unavailable(DeadReason());

        var arguments = ToolArguments.LabelRecoveryByReference(reference, shipperNumber, _lookupTakesVersion, labelFormat);
        var call = await CallAsync(_profile.LookupTool, arguments, cancellationToken).ConfigureAwait(false);
        return call switch
        {
            ToolCall.Answered a => CarrierOutcomeClassifier.ClassifyLookup(a.IsError, a.Text, _profile.MaxLabelBytes, _profile.Errors) switch
            {
                LookupOutcome.Unavailable u => new LookupOutcome.Unavailable(_text.Clean(u.Reason)),
                var found => found,
            },
            ToolCall.Rejected r => new LookupOutcome.Unavailable($"Carrier '{CarrierName}' rejected the lookup: {_text.Clean(r.Error.Message)}"),
            ToolCall.Failed f => new LookupOutcome.Unavailable(_text.Clean(f.Reason)) { CarrierHung = f.TimedOut },
            _ => throw new InvalidOperationException("Unexpected call result."),
        };
    }

    /// <inheritdoc />
    public async Task<VoidOutcome> VoidAsync(string shipmentId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_profile.VoidTool is null)
            return new VoidOutcome.Refused(new BatchShipException(ErrorCatalog.Configuration,
                $"Carrier '{CarrierName}' has no void tool; void shipment {shipmentId} with the carrier directly.", field: "voidTool"));
        if (!IsAlive) return new VoidOutcome.Unknown(DeadReason());

        // The whole shipment: every package of a row's shipment goes with it. The version is the tool's own default.
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal) { ["shipmentidentificationnumber"] = shipmentId };
        var call = await CallAsync(_profile.VoidTool, arguments, cancellationToken).ConfigureAwait(false);
        return call switch
        {
            ToolCall.Answered a => CarrierOutcomeClassifier.ClassifyVoid(a.IsError, a.Text) switch
            {
                VoidOutcome.Refused r => new VoidOutcome.Refused(new BatchShipException(r.Error.Error, _text.Clean(r.Error.Message), r.Error.Field)
                    { CarrierCode = r.Error.CarrierCode is { } code ? ShortCode(_text.Clean(code)) : null }),
                VoidOutcome.Unknown u => new VoidOutcome.Unknown(_text.Clean(u.Reason)),
                var voided => voided,
            },
            // The server refused the JSON-RPC request itself (no such tool, bad arguments): nothing was voided.
            ToolCall.Rejected r => new VoidOutcome.Refused(new BatchShipException(ErrorCatalog.Configuration,
                $"Carrier '{CarrierName}' rejected the call to {_profile.VoidTool}: {_text.Clean(r.Error.Message)}", field: "voidTool")),
            ToolCall.Failed f => new VoidOutcome.Unknown(_text.Clean(f.Reason)) { CarrierHung = f.TimedOut },
            _ => throw new InvalidOperationException("Unexpected call result."),
        };
    }

    /// <inheritdoc />
    public async Task<AddressValidationOutcome> ValidateAddressAsync(AddressToValidate address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        cancellationToken.ThrowIfCancellationRequested();
        if (_profile.ValidateTool is null || !OfferedTools.Contains(_profile.ValidateTool))
            return new AddressValidationOutcome.Failed(new BatchShipException(ErrorCatalog.CarrierToolMissing,
                $"Carrier '{CarrierName}' does not offer the address validation tool '{_profile.ValidateTool}'.", field: "Carrier"));
        if (!IsAlive) return new AddressValidationOutcome.Failed(new BatchShipException(ErrorCatalog.CarrierUnavailable, DeadReason()));

        var call = await CallAsync(_profile.ValidateTool, ToolArguments.AddressValidation(address), cancellationToken).ConfigureAwait(false);
        return call switch
        {
            ToolCall.Answered a => AddressValidationReader.Read(a.IsError, a.Text) switch
            {
                AddressValidationOutcome.Failed f => new AddressValidationOutcome.Failed(Masked(f.Error)),
                AddressValidationOutcome.Ambiguous m => new AddressValidationOutcome.Ambiguous(m.Candidates.Select(_text.Clean).ToList()),
                var other => other,
            },
            ToolCall.Rejected r => new AddressValidationOutcome.Failed(new BatchShipException(ErrorCatalog.Template,
                $"Carrier '{CarrierName}' rejected the call to {_profile.ValidateTool}: {_text.Clean(r.Error.Message)}")),
            // Validation creates nothing: a call that failed or timed out is only a carrier that did not answer.
            ToolCall.Failed f => new AddressValidationOutcome.Failed(new BatchShipException(ErrorCatalog.CarrierUnavailable, _text.Clean(f.Reason))),
            _ => throw new InvalidOperationException("Unexpected call result."),
        };
    }

    /// <summary>Calls any tool once and returns whether it answered without error, and its masked, capped text: for a
    /// check of the carrier (a rate quote), never for a shipment, whose outcome needs the create protocol.</summary>
    internal async Task<(bool Ok, string Text)> CallForCheckAsync(string tool, string argumentsJson, CancellationToken cancellationToken)
    {
        var call = await CallAsync(tool, ToolArguments.FromJsonObject(argumentsJson), cancellationToken).ConfigureAwait(false);
        return call switch
        {
            ToolCall.Answered a => (!a.IsError, _text.Clean(a.Text)),
            ToolCall.Rejected r => (false, _text.Clean(r.Error.Message)),
            ToolCall.Failed f => (false, _text.Clean(f.Reason)),
            _ => throw new InvalidOperationException("Unexpected call result."),
        };
    }

    /// <summary>True when the profile names a rate tool and the server offers it.</summary>
    public bool CanRate => _hasRateTool;

    /// <inheritdoc />
    public async Task<RateOutcome> RateAsync(string argumentsJson, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_hasRateTool)
            return new RateOutcome.Refused(new BatchShipException(ErrorCatalog.CannotQuote, _profile.RateTool is null
                ? $"Carrier '{CarrierName}' has no rate tool in its profile."
                : $"Carrier '{CarrierName}' does not offer the tool '{_profile.RateTool}'.", field: "rateTool"));

        Dictionary<string, object?> arguments;
        try { arguments = ToolArguments.FromJsonObject(argumentsJson); }
        catch (JsonException ex)
        {
            return new RateOutcome.Refused(new BatchShipException(ErrorCatalog.Template,
                $"The rate request is not a JSON object of tool arguments: {ex.Message}", inner: ex));
        }
        if (!IsAlive) return new RateOutcome.Refused(new BatchShipException(ErrorCatalog.CarrierUnavailable, DeadReason()));

        var call = await CallAsync(_profile.RateTool!, arguments, cancellationToken).ConfigureAwait(false);
        var outcome = call switch
        {
            ToolCall.Answered a => CarrierOutcomeClassifier.ClassifyRate(a.IsError, a.Text),
            ToolCall.Rejected r => new RateOutcome.Refused(new BatchShipException(ErrorCatalog.Template,
                $"Carrier '{CarrierName}' rejected the call to {_profile.RateTool}: {r.Error.Message}")),
            ToolCall.Failed f => new RateOutcome.Refused(new BatchShipException(ErrorCatalog.CarrierUnavailable, f.Reason)),
            _ => throw new InvalidOperationException("Unexpected call result."),
        };
        // The carrier's words, masked and capped, as for a create.
        return outcome is RateOutcome.Refused refused
            ? refused with
            {
                Error = new BatchShipException(refused.Error.Error, _text.Clean(refused.Error.Message), refused.Error.Field)
                {
                    CarrierCode = refused.Error.CarrierCode is { } code ? ShortCode(_text.Clean(code)) : null,
                },
            }
            : outcome;
    }

    /// <inheritdoc />
    public async Task<TrackOutcome> TrackAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_profile.TrackTool is null || !OfferedTools.Contains(_profile.TrackTool))
            return new TrackOutcome.Failed(new BatchShipException(ErrorCatalog.CarrierToolMissing,
                $"Carrier '{CarrierName}' does not offer the tracking tool '{_profile.TrackTool}'.", field: "Carrier"));
        if (!IsAlive) return new TrackOutcome.Failed(new BatchShipException(ErrorCatalog.CarrierUnavailable, DeadReason()));

        var arguments = new Dictionary<string, object?> { ["inquiryNumber"] = trackingNumber };
        var call = await CallAsync(_profile.TrackTool, arguments, cancellationToken).ConfigureAwait(false);
        return call switch
        {
            ToolCall.Answered a => TrackResponseReader.Read(a.IsError, a.Text) switch
            {
                TrackOutcome.Failed f => new TrackOutcome.Failed(Masked(f.Error)),
                var tracked => tracked,
            },
            ToolCall.Rejected r => new TrackOutcome.Failed(new BatchShipException(ErrorCatalog.Template,
                $"Carrier '{CarrierName}' rejected the call to {_profile.TrackTool}: {_text.Clean(r.Error.Message)}")),
            ToolCall.Failed f => new TrackOutcome.Failed(new BatchShipException(ErrorCatalog.CarrierUnavailable, _text.Clean(f.Reason))),
            _ => throw new InvalidOperationException("Unexpected call result."),
        };
    }

    // The carrier's words in an error, masked and without the inner exceptions that hold them unmasked.
    private BatchShipException Masked(BatchShipException error) =>
        new(error.Error, _text.Clean(error.Message), error.Field) { CarrierCode = error.CarrierCode is { } code ? ShortCode(_text.Clean(code)) : null };

    /// <summary>Stops the server process.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _client.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<ToolCall> CallAsync(string tool, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_profile.CallTimeout);
        try
        {
            var result = await _client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token).ConfigureAwait(false);
            return new ToolCall.Answered(result.IsError == true, TextOf(result));
        }
        catch (OperationCanceledException ex)
        {
            // Once the request has left, cancelling does not undo it: the outcome is unknown either way.
            var why = cancellationToken.IsCancellationRequested
                ? "The call was cancelled before the carrier answered"
                : $"The carrier did not answer within {_profile.CallTimeout.TotalSeconds:0.###} s";
            return new ToolCall.Failed($"{why} ({tool}).", ex) { TimedOut = !cancellationToken.IsCancellationRequested };
        }
        catch (McpProtocolException ex) when (ex.ErrorCode is McpErrorCode.InvalidParams or McpErrorCode.MethodNotFound or McpErrorCode.InvalidRequest)
        {
            // The server refused the JSON-RPC request itself: the tool never ran.
            return new ToolCall.Rejected(ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var reason = IsAlive
                ? $"The call to {tool} failed: {ex.Message}"
                : $"{DeadReason()} It stopped during {tool}, so whether that call took effect is unknown.";
            return new ToolCall.Failed(reason, ex);
        }
    }

    // The carrier's words inside an outcome, masked and capped. The exception a refusal carries is rebuilt without
    // its inner exceptions, whose messages hold the carrier's text unmasked.
    private CreateOutcome Clean(CreateOutcome outcome) => outcome switch
    {
        CreateOutcome.Refused r => r with
        {
            Error = new BatchShipException(r.Error.Error, _text.Clean(r.Error.Message), r.Error.Field,
                r.Error.RowNumber, r.Error.JobId) { CarrierCode = r.Error.CarrierCode is { } code ? ShortCode(_text.Clean(code)) : null },
        },
        CreateOutcome.Unknown u => new CreateOutcome.Unknown(_text.Clean(u.Reason), null),
        _ => outcome,
    };

    // A code is a short token (UPS 120802, REQUEST_ERROR); whatever else a carrier puts there is cut.
    private static string ShortCode(string code) => code.Length <= 40 ? code : code[..40];

    private string DeadReason()
    {
        if (Volatile.Read(ref _disposed) != 0) return $"The session with carrier '{CarrierName}' was closed.";
        return $"{_transport.CloseReason ?? $"Carrier '{CarrierName}' is no longer running."} Start a new session.";
    }

    // Python servers return the UPS body as text; a server that only fills structuredContent is read from there.
    private static string TextOf(CallToolResult result)
    {
        var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));
        if (text.Length == 0 && result.StructuredContent is { } structured) text = structured.GetRawText();
        return text;
    }

    private static bool TakesVersion(McpClientTool tool) =>
        tool.JsonSchema.ValueKind == JsonValueKind.Object
        && tool.JsonSchema.TryGetProperty("properties", out var properties)
        && properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty("version", out _);

    private abstract record ToolCall
    {
        public sealed record Answered(bool IsError, string Text) : ToolCall;
        public sealed record Rejected(McpProtocolException Error) : ToolCall;
        public sealed record Failed(string Reason, Exception Cause) : ToolCall
        {
            public bool TimedOut { get; init; }
        }
    }
}
