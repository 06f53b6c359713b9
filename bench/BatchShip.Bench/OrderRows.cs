using System.Text;
using System.Text.Json.Nodes;

namespace BatchShip.Bench;

/// <summary>Valid, distinct ups-ground orders: every row ships, none is a duplicate of another.</summary>
internal static class OrderRows
{
    public static readonly string[] Columns = ["RecipientName", "Address1", "City", "State", "PostalCode", "WeightLb", "Reference"];

    private static readonly (string City, string State, string Zip)[] Places =
    [
        ("San Francisco", "CA", "94105"), ("Boston", "MA", "02134"), ("Chicago", "IL", "60618"),
        ("New York", "NY", "10036"), ("Seattle", "WA", "98101"), ("Austin", "TX", "78701"),
    ];

    /// <summary>The columns of order n (1-based), in input order.</summary>
    public static KeyValuePair<string, string>[] Order(long n)
    {
        var (city, state, zip) = Places[n % Places.Length];
        return
        [
            new("RecipientName", $"Customer {n}"), new("Address1", $"{n % 900 + 1} Market St"), new("City", city),
            new("State", state), new("PostalCode", zip), new("WeightLb", (1 + n % 7 * 0.5).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)),
            new("Reference", $"BENCH-{n:D7}"),
        ];
    }

    public static JsonObject WriteCsv(string path, long rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine(string.Join(',', Columns));
        for (long n = 1; n <= rows; n++)
            writer.WriteLine(string.Join(',', Order(n).Select(c => c.Value)));
        return new JsonObject { ["path"] = path, ["rows"] = rows };
    }
}
