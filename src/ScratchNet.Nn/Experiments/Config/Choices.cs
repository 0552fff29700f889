namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// Wording for "expected one of these words" errors: lists the choices and suggests the closest one to what was
/// written, so a typo such as <c>lables</c> gets <c>(did you mean 'labels'?)</c>.
/// </summary>
internal static class Choices
{
    /// <summary><c>a</c>, <c>a or b</c>, <c>a, b or c</c>.</summary>
    public static string Or(IReadOnlyList<string> words) => words.Count switch
    {
        0 => "(nothing)",
        1 => words[0],
        _ => string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1],
    };

    /// <summary><c>" (did you mean 'x'?)"</c> when a choice is close to <paramref name="written"/>, else <c>""</c>.</summary>
    public static string Hint(string written, IEnumerable<string> choices) =>
        Closest(written, choices) is { } best ? $" (did you mean '{best}'?)" : "";

    /// <summary>
    /// The choice with the smallest edit distance to <paramref name="written"/>, if that distance is at most 2 or at
    /// most a third of the choice's length (whichever is larger) and smaller than both words, so short words are not
    /// "corrected" into unrelated ones. Ties go to the earlier choice.
    /// </summary>
    public static string? Closest(string written, IEnumerable<string> choices)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var choice in choices)
        {
            var d = Distance(written, choice);
            var limit = Math.Max(2, choice.Length / 3);
            if (d <= limit && d < choice.Length && d < written.Length && d < bestDistance)
                (best, bestDistance) = (choice, d);
        }
        return best;
    }

    /// <summary>
    /// Edit distance where inserting, deleting or replacing a character, or swapping two neighbours, costs 1
    /// (optimal string alignment). Swaps count once because they are the commonest typo (<c>lables</c>).
    /// </summary>
    public static int Distance(string a, string b)
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
