using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Reads the error text of a tool result (<c>isError: true</c>) in every format the UPS MCP servers use:
/// Python <c>Error executing tool X: {json}</c>, Python argument validation text, ShipAgent's
/// <c>{"error": "UPS API error", "message": "UPS API Error [code]: ..."}</c>, JSON-RPC errors passed on as text
/// (<c>MCP error -32602: ...</c>), and TypeScript plain text.
/// </summary>
public static partial class CarrierErrorReader
{
    private const string PythonPrefix = "Error executing tool ";

    /// <summary>Reads one error text, in any of the formats.</summary>
    public static CarrierError Read(string text) => Read(text, CarrierErrorFormat.MattHans);

    /// <summary>Reads one error text of a server that words its errors in the given format. A TypeScript server's
    /// message is the carrier's own words: text in it that looks like another server's codes or JSON was not written
    /// by the server, so it is never read as such (the message stays unstructured and proves nothing).</summary>
    public static CarrierError Read(string text, CarrierErrorFormat format)
    {
        if (format == CarrierErrorFormat.TypeScript)
        {
            var message = text.Trim();
            return JsonRpcError(message) ?? new CarrierError(CarrierErrorKind.Unstructured,
                message.Length > 0 ? message : "The carrier reported an error without a message.");
        }

        var body = StripPrefix(text.Trim());

        if (ValidationText().IsMatch(body)) return new CarrierError(CarrierErrorKind.RequestShape, body);

        if (body.StartsWith('{') && TryReadJson(body) is { } fromJson) return fromJson;

        return ReadText(body);
    }

    // The server's MCP layer refused the call's arguments or method: the tool never ran.
    private static CarrierError? JsonRpcError(string body) =>
        JsonRpcText().Match(body) is { Success: true } rpc && rpc.Groups[1].Value is "-32600" or "-32601" or "-32602"
            ? new CarrierError(CarrierErrorKind.RequestShape, body, Code: rpc.Groups[1].Value)
            : null;

    // Plain text is evidence only where its form says who refused and why; anything else proves nothing.
    private static CarrierError ReadText(string body)
    {
        if (JsonRpcError(body) is { } rpc) return rpc;
        if (BracketedCode(body) is { } bracketed) return bracketed;
        // matt-hans/ups-mcp raises this before its first token request when CLIENT_ID or CLIENT_SECRET is unset.
        if (body.Contains("CLIENT_ID and CLIENT_SECRET must be set", StringComparison.Ordinal))
            return new CarrierError(CarrierErrorKind.Authentication, body);
        return new CarrierError(CarrierErrorKind.Unstructured, body.Length > 0 ? body : "The carrier reported an error without a message.");
    }

    // ShipAgent: "UPS API Error [120802]: ..."; the brackets hold the UPS code, or the HTTP status when UPS sent none.
    private static CarrierError? BracketedCode(string message)
    {
        if (UpsApiErrorText().Match(message) is not { Success: true } match) return null;
        var code = match.Groups[1].Value;
        return ParseStatus(code) is int status
            ? new CarrierError(CarrierErrorKind.Carrier, message, status, code)
            : new CarrierError(CarrierErrorKind.Carrier, message, Code: code, UpsCode: code);
    }

    /// <summary>True when the text is a Python server's error even though the result was not flagged as one.</summary>
    public static bool LooksLikeError(string text) => text.TrimStart().StartsWith(PythonPrefix, StringComparison.Ordinal);

    private static string StripPrefix(string text)
    {
        if (!text.StartsWith(PythonPrefix, StringComparison.Ordinal)) return text;
        var colon = text.IndexOf(": ", PythonPrefix.Length, StringComparison.Ordinal);
        return colon < 0 ? text : text[(colon + 2)..].Trim();
    }

    private static CarrierError? TryReadJson(string body)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(body); }
        catch (JsonException) { return null; }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;

            var code = root.Prop("code").Text();
            var status = ParseStatus(root.Prop("status_code").Text()) ?? ParseStatus(root.Prop("statusCode").Text());

            // UPS puts its errors under response.errors; matt-hans wraps the UPS body in "details".
            var upsError = (root.Path("details", "response", "errors") ?? root.Path("response", "errors")).Items().FirstOrDefault();
            string? upsCode = null, upsMessage = null;
            if (upsError.ValueKind == JsonValueKind.Object)
            {
                upsCode = upsError.Prop("code").Text();
                upsMessage = upsError.Prop("message").Text();
            }

            var message = root.Prop("message").Text() ?? upsMessage ?? body;
            if (upsMessage is not null && !message.Contains(upsMessage, StringComparison.Ordinal)) message = $"{message} ({upsMessage})";

            switch (code?.ToUpperInvariant())
            {
                case "REQUEST_ERROR":
                    return new CarrierError(RequestErrorEvidence.Classify(message), message, status, code, upsCode);
                case "VALIDATION_ERROR" or "MALFORMED_REQUEST":
                    return new CarrierError(CarrierErrorKind.RequestShape, message, status, code, upsCode);
                case "STRUCTURAL_FIELDS_REQUIRED" or "INCOMPLETE_SHIPMENT":
                case { } elicitation when elicitation.StartsWith("ELICITATION_", StringComparison.Ordinal):
                    return ReadMissing(root, message, status, code!, upsCode);
            }

            // ShipAgent's TypeScript server: {"error": "UPS API error", "message": "UPS API Error [120802]: ..."}.
            if (code is null && root.Prop("error").Text() is not null && BracketedCode(message) is { } shipAgent) return shipAgent;

            // matt-hans falls back on the HTTP status as "code"; a JSON body with neither is no carrier answer.
            status ??= ParseStatus(code);
            if (status is null && upsCode is null && code is null) return null;
            return new CarrierError(CarrierErrorKind.Carrier, message, status, code, upsCode) { RetryAfter = RetryAfter(root) };
        }
    }

    // matt-hans refuses before calling UPS, naming each missing field by dot_path, flat_key and a prompt for a person.
    private static CarrierError ReadMissing(JsonElement root, string message, int? status, string code, string? upsCode)
    {
        var fields = new List<string>();
        var described = new List<string>();
        foreach (var item in root.Prop("missing").Items())
        {
            var path = item.Prop("dot_path").Text() ?? item.Prop("flat_key").Text();
            if (string.IsNullOrWhiteSpace(path)) continue;
            fields.Add(path);
            var prompt = item.Prop("prompt").Text();
            described.Add(string.IsNullOrWhiteSpace(prompt) ? path : $"{path} ({prompt.Trim()})");
        }
        if (described.Count > 0) message = $"{message} Missing: {string.Join("; ", described)}.";
        return new CarrierError(CarrierErrorKind.MissingInput, message, status, code, upsCode) { MissingFields = fields };
    }

    // The HTTP header as a server passes it on (details.headers), in seconds; an HTTP date or nonsense is ignored.
    private static TimeSpan? RetryAfter(JsonElement root)
    {
        var headers = root.Path("details", "headers") ?? root.Prop("headers");
        if (headers is not { ValueKind: JsonValueKind.Object } h) return null;
        foreach (var header in h.EnumerateObject())
        {
            if (!header.Name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)) continue;
            var text = header.Value.ValueKind == JsonValueKind.Number ? header.Value.GetRawText() : ((JsonElement?)header.Value).Text();
            return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and <= 3600
                ? TimeSpan.FromSeconds(seconds) : null;
        }
        return null;
    }

    private static int? ParseStatus(string? text) =>
        text is { Length: 3 } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 100 and <= 599
            ? s : null;

    // pydantic: "1 validation error for create_shipmentArguments" / "2 validation errors for ...".
    [GeneratedRegex(@"^\d+ validation errors? for ", RegexOptions.CultureInvariant)]
    private static partial Regex ValidationText();

    // The TypeScript MCP SDK's text for a JSON-RPC error: "MCP error -32602: Input validation error: ...".
    [GeneratedRegex(@"^MCP error (-?\d+):", RegexOptions.CultureInvariant)]
    private static partial Regex JsonRpcText();

    [GeneratedRegex(@"\bUPS API Error \[([A-Za-z0-9]{1,12})\]", RegexOptions.CultureInvariant)]
    private static partial Regex UpsApiErrorText();
}
