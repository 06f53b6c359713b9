using System.Security.Cryptography;
using System.Text;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Jobs;

/// <summary>
/// A row's natural key: the order it stands for. Two live rows of any jobs may not ship one key for one
/// carrier account, so running the same file twice ships each order once.
/// </summary>
public static class NaturalKeys
{
    /// <summary>The column used when no -KeyProperty is given and the input has it.</summary>
    public const string DefaultColumn = "Reference";

    /// <summary>The key, scoped to carrier and shipper account: the key column's value when there is one,
    /// else a hash of every column and value in order.</summary>
    public static string For(IReadOnlyList<KeyValuePair<string, string>> input, string? keyProperty, string carrier, string shipperNumber, long rowNumber)
    {
        string key;
        if (!string.IsNullOrEmpty(keyProperty))
        {
            var value = Find(input, keyProperty);
            if (string.IsNullOrWhiteSpace(value))
                throw new BatchShipException(ErrorCatalog.MissingField,
                    $"The key column '{keyProperty}' is missing or empty; every row needs a value there (or drop -KeyProperty).", keyProperty, rowNumber);
            key = "key:" + value.Trim();
        }
        else if (Find(input, DefaultColumn) is { } reference && !string.IsNullOrWhiteSpace(reference))
        {
            key = "key:" + reference.Trim();
        }
        else
        {
            var text = new StringBuilder();
            foreach (var (k, v) in input) text.Append(k).Append('\u001f').Append(v).Append('\u001e');
            key = "row:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
        return $"{carrier.ToLowerInvariant()}|{shipperNumber.ToUpperInvariant()}|{key}";
    }

    private static string? Find(IReadOnlyList<KeyValuePair<string, string>> input, string column)
    {
        foreach (var (k, v) in input)
            if (string.Equals(k, column, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }
}
