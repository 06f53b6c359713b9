using System.Text.Json;

namespace BatchShip.Engine.Carriers;

/// <summary>Builds the arguments of carrier tool calls.</summary>
public static class ToolArguments
{
    /// <summary>The version of the UPS label recovery API that matt-hans/ups-mcp defaults to.</summary>
    public const string LabelRecoveryVersion = "v1";

    /// <summary>The top-level properties of a JSON object (the rendered template), each as its own JSON value.</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static Dictionary<string, object?> FromJsonObject(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new JsonException($"Expected a JSON object, found {doc.RootElement.ValueKind}.");
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>The label format a lookup asks for: UPS's own default for label recovery.</summary>
    public const string LabelRecoveryFormat = "GIF";

    /// <summary>The <c>recover_label</c> arguments that find a shipment by its package reference and shipper number.
    /// <paramref name="includeVersion"/> adds <c>version</c> for servers whose tool declares it.</summary>
    public static Dictionary<string, object?> LabelRecoveryByReference(string reference, string shipperNumber, bool includeVersion,
        string labelFormat = LabelRecoveryFormat)
    {
        // UPS's LabelRecoveryRequest requires the Request container, and LabelSpecification for an ordinary (not
        // return) shipment; without them a real lookup is refused and every unknown outcome would need review.
        // CustomerContext carries the reference, so the answer names the row it is for.
        var body = new Dictionary<string, object?>
        {
            ["LabelRecoveryRequest"] = new Dictionary<string, object?>
            {
                ["Request"] = new Dictionary<string, object?>
                {
                    ["TransactionReference"] = new Dictionary<string, object?> { ["CustomerContext"] = reference },
                },
                ["LabelSpecification"] = new Dictionary<string, object?>
                {
                    ["HTTPUserAgent"] = "Mozilla/4.5",
                    ["LabelImageFormat"] = new Dictionary<string, object?> { ["Code"] = labelFormat },
                },
                ["ReferenceValues"] = new Dictionary<string, object?>
                {
                    ["ReferenceNumber"] = new Dictionary<string, object?> { ["Value"] = reference },
                    ["ShipperNumber"] = shipperNumber,
                },
            },
        };
        // Serialized once to a JsonElement so the MCP client needs no type information for nested dictionaries.
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["request_body"] = JsonSerializer.SerializeToElement(body, ToolArgumentsJsonContext.Default.DictionaryStringObject),
        };
        if (includeVersion) arguments["version"] = LabelRecoveryVersion;
        return arguments;
    }

    /// <summary>The flat arguments of <c>validate_address</c> (the official UPS MCP server's shape, which the sandbox
    /// follows): the first two address lines, the state as politicalDivision1, the city as politicalDivision2, and the
    /// ZIP split into its five digits and its extension.</summary>
    public static Dictionary<string, object?> AddressValidation(AddressToValidate address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var postal = address.PostalCode.Trim();
        var dash = postal.IndexOf('-', StringComparison.Ordinal);
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["addressLine1"] = address.Lines.Count > 0 ? address.Lines[0] : "",
            ["politicalDivision1"] = address.State,
            ["politicalDivision2"] = address.City,
            ["zipPrimary"] = dash < 0 ? postal : postal[..dash],
            ["countryCode"] = address.CountryCode,
        };
        if (address.Lines.Count > 1) arguments["addressLine2"] = address.Lines[1];
        if (dash >= 0) arguments["zipExtended"] = postal[(dash + 1)..];
        return arguments;
    }
}
