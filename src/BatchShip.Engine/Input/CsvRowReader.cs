using System.Text;
using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Input;

/// <summary>
/// Reads a CSV file (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) one row at a time, so a
/// file of any size is staged with flat memory. Like Import-Csv: comma-separated and UTF-8 unless told otherwise,
/// and a byte order mark wins over the encoding given.
/// </summary>
public static class CsvRowReader
{
    /// <summary>Rows as ordered column/value pairs, named by the header line. <paramref name="delimiter"/> separates
    /// the fields (';' for a European Excel export); <paramref name="encoding"/> is UTF-8 when null.</summary>
    public static IEnumerable<IReadOnlyList<KeyValuePair<string, string>>> Read(string path, char delimiter = ',', Encoding? encoding = null)
    {
        if (delimiter is '"' or '\r' or '\n')
            throw new BatchShipException(ErrorCatalog.Configuration, "-Delimiter cannot be a quote or a line break; use the character between the fields, such as ';'.", "Delimiter");
        return ReadRows(path, delimiter, encoding ?? new UTF8Encoding(false));
    }

    private static IEnumerable<IReadOnlyList<KeyValuePair<string, string>>> ReadRows(string path, char delimiter, Encoding encoding)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InputFile.Unreadable(path, "Path", e);
        }
        using (reader)
        {
            var header = ReadRecord(reader, 1, delimiter);
            if (header is null) yield break;
            var names = header.Select(h => h.Trim()).ToArray();
            long line = 1;
            while (ReadRecord(reader, ++line, delimiter) is { } fields)
            {
                if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
                var row = new List<KeyValuePair<string, string>>(names.Length);
                for (var i = 0; i < names.Length; i++) row.Add(new(names[i], i < fields.Count ? fields[i] : ""));
                yield return row;
            }
        }
    }

    private static List<string>? ReadRecord(TextReader reader, long lineNumber, char delimiter)
    {
        var c = reader.Read();
        if (c < 0) return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (true)
        {
            if (c < 0)
            {
                if (quoted) throw new BatchShipException(ErrorCatalog.BadValue, $"The CSV has an unclosed quote in the record starting at line {lineNumber}.", rowNumber: lineNumber - 1);
                fields.Add(field.ToString());
                return fields;
            }
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else field.Append(ch);
            }
            else if (ch == '"' && field.Length == 0) quoted = true;
            else if (ch == delimiter) { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r') { if (reader.Peek() == '\n') reader.Read(); fields.Add(field.ToString()); return fields; }
            else if (ch == '\n') { fields.Add(field.ToString()); return fields; }
            else field.Append(ch);
            c = reader.Read();
        }
    }
}
