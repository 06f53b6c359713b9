namespace BatchShip.Engine.Templates;

/// <summary>
/// The name someone most likely meant: for an unknown shipper key (Phnoe → Phone) and for a required column the
/// input lacks (PostalCode → "Postal Code", WeightLb → "Weight (lb)"). One helper, so both suggest alike.
/// </summary>
public static class ClosestMatch
{
    /// <summary>
    /// The candidate closest to <paramref name="wanted"/>, or null when none is close. Names are compared without
    /// case, blanks or punctuation; a candidate is close when one name contains the other (at least 3 letters), or
    /// when few letters differ (a typo, two letters swapped): at most one edit a third of the shorter name.
    /// </summary>
    public static string? Find(string wanted, IEnumerable<string> candidates) => Find([wanted], candidates);

    /// <summary>The candidate closest to any of <paramref name="wanted"/> (a column and its other names), or null.</summary>
    public static string? Find(IEnumerable<string> wanted, IEnumerable<string> candidates)
    {
        var targets = wanted.Select(Key).Where(k => k.Length > 0).ToArray();
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var key = Key(candidate);
            if (key.Length == 0) continue;
            foreach (var target in targets)
            {
                var score = Score(target, key);
                if (score < bestScore)
                {
                    best = candidate;
                    bestScore = score;
                }
            }
        }
        return bestScore == int.MaxValue ? null : best;
    }

    /// <summary>Lower case letters and digits only: "Weight (lb)" and "WeightLb" meet as "weightlb".</summary>
    internal static string Key(string? name) =>
        new((name ?? "").Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    // Lower is closer; int.MaxValue is not close at all. Equal keys beat containment, which beats typos.
    private static int Score(string a, string b)
    {
        if (a == b) return 0;
        var shorter = Math.Min(a.Length, b.Length);
        if (shorter >= 3 && (a.Contains(b, StringComparison.Ordinal) || b.Contains(a, StringComparison.Ordinal)))
            return 1 + Math.Min(98, Math.Abs(a.Length - b.Length));
        var distance = EditDistance(a, b);
        return distance <= Math.Max(1, shorter / 3) ? 100 + distance : int.MaxValue;
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours.
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
