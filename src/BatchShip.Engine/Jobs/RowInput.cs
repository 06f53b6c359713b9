using System.Text.Json;

namespace BatchShip.Engine.Jobs;

/// <summary>A row's input as stored: an ordered list of column/value pairs, so column order survives.</summary>
public static class RowInput
{
    public static string Serialize(IReadOnlyList<KeyValuePair<string, string>> input)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var (k, v) in input)
            {
                w.WriteStartArray();
                w.WriteStringValue(k);
                w.WriteStringValue(v);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Deserialize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<KeyValuePair<string, string>>(doc.RootElement.GetArrayLength());
        foreach (var pair in doc.RootElement.EnumerateArray())
            list.Add(new(pair[0].GetString()!, pair[1].GetString() ?? ""));
        return list;
    }
}
