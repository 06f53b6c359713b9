using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace BatchShip.Cmdlets.Input;

/// <summary>
/// Turns whatever the pipeline brings (Import-Csv objects, hashtables, any object) into the engine's
/// row: ordered column/value pairs, values as strings in the invariant culture, so 2.5 reads the same in
/// a German or a French session.
/// </summary>
internal static class RowConverter
{
    public static List<KeyValuePair<string, string>> ToRow(PSObject input)
    {
        var row = new List<KeyValuePair<string, string>>();
        if (input.BaseObject is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
                row.Add(new(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "", Text(entry.Value)));
            return row;
        }
        foreach (var property in input.Properties)
        {
            if (!property.IsGettable) continue;
            object? value;
            try { value = property.Value; }
            catch (GetValueException) { continue; }
            row.Add(new(property.Name, Text(value)));
        }
        return row;
    }

    /// <summary>A hashtable, PSObject or JSON file path as a shipper dictionary.</summary>
    public static Dictionary<string, string?> ToDictionary(object value, Func<string, string> readFile)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var unwrapped = value is PSObject ps ? ps.BaseObject : value;
        if (unwrapped is string path)
        {
            var json = System.Text.Json.JsonDocument.Parse(readFile(path));
            foreach (var p in json.RootElement.EnumerateObject())
                result[p.Name] = p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
            return result;
        }
        foreach (var (k, v) in ToRow(PSObject.AsPSObject(value))) result[k] = v;
        return result;
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        PSObject ps => Text(ps.BaseObject),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
