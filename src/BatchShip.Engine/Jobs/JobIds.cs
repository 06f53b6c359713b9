using System.Security.Cryptography;

namespace BatchShip.Engine.Jobs;

/// <summary>Job ids: eight lower-case characters people can read aloud and type (no 0/o, 1/l/i).</summary>
public static class JobIds
{
    private const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";

    public static string New() => string.Create(8, 0, static (span, _) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
    });

    /// <summary>The carrier reference of a row: <c>BS-&lt;job&gt;-&lt;row&gt;</c>, at most 22 characters.</summary>
    public static string Reference(string jobId, long rowNumber) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"BS-{jobId}-{rowNumber}");
}
