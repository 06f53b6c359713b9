using System.Globalization;

namespace BatchShip.Engine.Quotes;

/// <summary>The sum of the quoted rows a run would buy, in one currency.</summary>
public sealed record QuoteTotal(string Currency, decimal Amount, long Rows);

/// <summary>A quote of a whole batch: every row's quote, in row order, and what buying it would cost.</summary>
public sealed record BatchQuote(IReadOnlyList<RowQuote> Rows)
{
    /// <summary>Rows the carrier priced (already-shipped ones included).</summary>
    public long Quoted => Rows.Count(r => r.Rate is not null);

    /// <summary>Rows that could not be priced: their error says why (the same error would usually refuse their create).</summary>
    public long Failed => Rows.Count(r => r.Error is not null);

    /// <summary>Rows whose order was already shipped: quoted, but a run skips them, so they are not in the totals.</summary>
    public long AlreadyShipped => Rows.Count(r => r.AlreadyShippedBy is not null);

    /// <summary>Rows a run would buy at the quoted price.</summary>
    public long WouldShip => Rows.Count(r => r.WouldShip);

    /// <summary>What the rows a run would buy cost, one total per currency (one, unless the batch leaves several countries).</summary>
    public IReadOnlyList<QuoteTotal> Totals { get; } = Rows.Where(r => r.WouldShip)
        .GroupBy(r => r.Rate!.Currency, StringComparer.OrdinalIgnoreCase)
        .Select(g => new QuoteTotal(g.Key.ToUpperInvariant(), g.Sum(r => r.Rate!.Cost), g.LongCount()))
        .OrderBy(t => t.Currency, StringComparer.Ordinal)
        .ToList();

    /// <summary>The totals as a person reads them, e.g. "5,123.40 USD" (or "0.00" when nothing would be bought).</summary>
    public string TotalText => Totals.Count == 0
        ? "0.00"
        : string.Join(" + ", Totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Amount:N2} {t.Currency}")));

    /// <summary>The first total above <paramref name="maxTotalCost"/>, or null when every total is within it.</summary>
    public QuoteTotal? Exceeding(decimal maxTotalCost) => Totals.FirstOrDefault(t => t.Amount > maxTotalCost);
}
