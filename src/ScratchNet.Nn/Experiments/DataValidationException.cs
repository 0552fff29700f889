namespace ScratchNet.Nn.Experiments;

/// <summary>
/// The CSV does not fit the config: labels outside a task's list, text in a number column, images that do not
/// exist. Thrown before any training, listing the first problems as <c>file:line: what</c> and how many there are.
/// </summary>
public sealed class DataValidationException : Exception
{
    /// <summary>Creates the exception from every problem found (the message shows the first ten).</summary>
    public DataValidationException(string csv, IReadOnlyList<string> problems)
        : base(Format(csv, problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(string csv, IReadOnlyList<string> problems)
    {
        const int shown = 10;
        var head = $"{problems.Count} problem(s) in {csv}; nothing was trained:";
        var lines = problems.Take(shown).Select(p => "  " + p);
        var more = problems.Count > shown ? [$"  … and {problems.Count - shown} more"] : Array.Empty<string>();
        return string.Join(Environment.NewLine, lines.Prepend(head).Concat(more));
    }
}
