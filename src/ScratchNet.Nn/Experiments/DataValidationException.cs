using System.Globalization;

namespace ScratchNet.Nn.Experiments;

/// <summary>One thing wrong with a CSV: the line (0 = the file as a whole) and what is wrong there.</summary>
/// <param name="Line">1-based CSV line, or 0.</param>
/// <param name="What">The problem in words; rows with the same words are reported as one group.</param>
public sealed record DataProblem(int Line, string What);

/// <summary>
/// The CSV does not fit the config: labels outside a task's list, text in a number column, images that do not
/// exist. Thrown before any training. The message groups the problems by kind — the same words on many rows are one
/// line with the row count and every line number as ranges (<c>'9' is not one of its labels — 300 rows: lines
/// 2-301</c>) — so a systematic mistake reads as one line and a few stray rows are each listed.
/// </summary>
public sealed class DataValidationException : Exception
{
    /// <summary>Kinds of problem shown in the message; the rest are counted.</summary>
    public const int ShownKinds = 20;

    /// <summary>Creates the exception from every problem found.</summary>
    public DataValidationException(string csv, IReadOnlyList<DataProblem> problems)
        : base(Format(csv, problems))
    {
        Problems = problems.Select(p => p.Line > 0 ? $"{csv}:{p.Line}: {p.What}" : $"{csv}: {p.What}").ToArray();
    }

    /// <summary>Every problem, one line each (<c>file:line: what</c>).</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(string csv, IReadOnlyList<DataProblem> problems)
    {
        var groups = problems.GroupBy(p => p.What).ToList(); // in order of first appearance
        var lines = new List<string>
        {
            $"{problems.Count} problem(s) in {csv}{(groups.Count > 1 ? $", {groups.Count} kinds" : "")}; nothing was trained:",
        };
        foreach (var g in groups.Take(ShownKinds))
        {
            var rows = g.Select(p => p.Line).Where(l => l > 0).Distinct().Order().ToList();
            lines.Add(rows.Count switch
            {
                0 => $"  {csv}: {g.Key}",
                1 => $"  {csv}:{rows[0]}: {g.Key}",
                _ => $"  {csv}: {g.Key} — {rows.Count} rows: lines {Ranges(rows)}",
            });
        }
        if (groups.Count > ShownKinds)
        {
            var rest = groups.Skip(ShownKinds).ToList();
            lines.Add($"  … and {rest.Count} more kind(s) of problem in {rest.Sum(g => g.Count())} row(s)");
        }
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>"2-301, 305, 307-310": sorted line numbers as runs.</summary>
    private static string Ranges(List<int> sorted)
    {
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? sorted[i].ToString(CultureInfo.InvariantCulture)
                : $"{sorted[i].ToString(CultureInfo.InvariantCulture)}-{sorted[j].ToString(CultureInfo.InvariantCulture)}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }
}
