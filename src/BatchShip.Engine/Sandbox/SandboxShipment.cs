using System.Text.RegularExpressions;

namespace BatchShip.Engine.Sandbox;

/// <summary>
/// One shipment the sandbox carrier made, as its ledger verb reports it: what a real carrier would have on its books.
/// </summary>
public sealed partial record SandboxShipment
{
    public required string ShipmentId { get; init; }
    public IReadOnlyList<string> TrackingNumbers { get; init; } = [];

    /// <summary>The package reference numbers, in package order.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The request's CustomerContext; for a BatchShip row, its reference BS-&lt;job&gt;-&lt;row&gt;.</summary>
    public string? CustomerContext { get; init; }

    public decimal? Cost { get; init; }
    public string? Currency { get; init; }
    public string? ServiceCode { get; init; }
    public string? ServiceName { get; init; }
    public SandboxAddress? ShipTo { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public bool Voided { get; init; }
    public DateTimeOffset? VoidedAt { get; init; }

    /// <summary>The BatchShip row reference (BS-&lt;job&gt;-&lt;row&gt;) the shipment carries, if any.</summary>
    public string? Reference => IsRowReference(CustomerContext) ? CustomerContext : References.FirstOrDefault(IsRowReference);

    /// <summary>The job id in <see cref="Reference"/>.</summary>
    public string? JobId => Reference is { } r ? RowReference().Match(r).Groups["job"].Value : null;

    /// <summary>The row number in <see cref="Reference"/>.</summary>
    public long? RowNumber => Reference is { } r ? long.Parse(RowReference().Match(r).Groups["row"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static bool IsRowReference(string? value) => value is not null && RowReference().IsMatch(value);

    [GeneratedRegex(@"^BS-(?<job>[0-9a-z]+)-(?<row>[0-9]{1,18})$", RegexOptions.CultureInvariant)]
    private static partial Regex RowReference();
}
