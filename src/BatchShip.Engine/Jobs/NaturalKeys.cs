using System.Security.Cryptography;
using System.Text;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Jobs;

/// <summary>
/// A row's natural key: the order it stands for. Two live rows of any jobs may not ship one key for one
/// carrier account, so running the same file twice ships each order once.
/// </summary>
/// <remarks>
/// The key is canonical, because the same order reaches us in many shapes: a hashtable enumerates its keys in
/// a different order in every process, an export changes the case of a header, a hand-typed reference
/// carries a stray blank. Column names are compared without case and without surrounding blanks, and their
/// order does not count; values are trimmed; an order reference is compared without case.
/// Stored form: <c>carrier|SHIPPER|key:VALUE</c> or <c>carrier|SHIPPER|row:HASH</c>.
/// </remarks>
public static class NaturalKeys
{
    /// <summary>The column used when no -KeyProperty is given and the input has it.</summary>
    public const string DefaultColumn = "Reference";

    private const string KeyPrefix = "key:";
    private const string RowPrefix = "row:";

    /// <summary>The key, scoped to carrier and shipper account: the key column's value when there is one,
    /// else a hash of every column and value, independent of their order. <paramref name="defaultColumn"/> is the
    /// input column that stands for <see cref="DefaultColumn"/> (another one when -ColumnMap maps Reference).</summary>
    public static string For(IReadOnlyList<KeyValuePair<string, string>> input, string? keyProperty, string carrier, string shipperNumber, long rowNumber,
        string defaultColumn = DefaultColumn)
    {
        string key;
        if (!string.IsNullOrWhiteSpace(keyProperty))
        {
            var value = Find(input, keyProperty);
            if (string.IsNullOrWhiteSpace(value))
                throw new BatchShipException(ErrorCatalog.MissingField,
                    $"The key column '{keyProperty}' is missing or empty; every row needs a value there (or drop -KeyProperty).", keyProperty, rowNumber);
            key = KeyPrefix + CanonicalValue(value);
        }
        else if (Find(input, defaultColumn) is { } reference && !string.IsNullOrWhiteSpace(reference))
        {
            key = KeyPrefix + CanonicalValue(reference);
        }
        else
        {
            key = RowPrefix + RowHash(input);
        }
        return Scope(carrier, shipperNumber) + key;
    }

    /// <summary>True when the key is a hash of the whole row (no -KeyProperty and no Reference value): any change
    /// to any column makes it another order.</summary>
    public static bool IsRowHash(string key) => key.Contains("|" + RowPrefix, StringComparison.Ordinal);

    /// <summary>The warning for a run where some rows are keyed by a hash of the whole row, or null when none is.</summary>
    public static string? RowHashWarning(long rowHashKeys, long rows) => rowHashKeys == 0 ? null :
        $"{rowHashKeys} of {rows} row(s) have no {DefaultColumn} value and no -KeyProperty was given, so their order key is a hash " +
        "of the whole row: if any column changes between two runs (an export timestamp, a note), the same order ships again. " +
        $"Add a {DefaultColumn} column holding the order number, or name the order column with -KeyProperty.";

    /// <summary>The order reference a key holds, for messages; null for a row hash.</summary>
    public static string? ValueOf(string key)
    {
        var at = key.IndexOf("|" + KeyPrefix, StringComparison.Ordinal);
        return at < 0 ? null : key[(at + 1 + KeyPrefix.Length)..];
    }

    /// <summary>A SQL LIKE pattern (escape character <c>\</c>) matching the stored keys whose order reference matches a
    /// PowerShell-style wildcard (<c>*</c>, <c>?</c>; other characters literal), compared as the keys are: trimmed and
    /// without case. LIKE, not GLOB, so that SQLite and PostgreSQL run the same statement.</summary>
    public static string OrderLikePattern(string pattern)
    {
        var like = new StringBuilder("%|" + EscapeLike(KeyPrefix));
        foreach (var c in CanonicalValue(pattern))
            like.Append(c switch { '*' => "%", '?' => "_", _ => EscapeLike(c.ToString()) });
        return like.ToString();
    }

    /// <summary>Text with the LIKE wildcards and the escape character escaped (escape character <c>\</c>).</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string Scope(string carrier, string shipperNumber) =>
        $"{carrier.Trim().ToLowerInvariant()}|{shipperNumber.Trim().ToUpperInvariant()}|";

    private static string CanonicalValue(string value) => value.Trim().ToUpperInvariant();

    private static string RowHash(IReadOnlyList<KeyValuePair<string, string>> input)
    {
        // Sorted by canonical name (then value, so that even two columns of one name sort the same way every time).
        var columns = input
            .Select(c => (Name: c.Key.Trim().ToUpperInvariant(), Value: c.Value.Trim()))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ThenBy(c => c.Value, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var (name, value) in columns) text.Append(name).Append('\u001f').Append(value).Append('\u001e');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    internal static string? Find(IReadOnlyList<KeyValuePair<string, string>> input, string column)
    {
        var wanted = column.Trim();
        foreach (var (k, v) in input)
            if (string.Equals(k.Trim(), wanted, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }
}
