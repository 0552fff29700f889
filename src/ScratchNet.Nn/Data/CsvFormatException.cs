namespace ScratchNet.Nn.Data;

/// <summary>
/// A CSV file that cannot be read as a table: malformed quoting, a missing header, a ragged row, an unknown or
/// ambiguous column. The message always names the file, and the line and column where they are known, so a user
/// can open the file at the offending spot.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception; <paramref name="line"/> and <paramref name="column"/> are 1-based, 0 = unknown.</summary>
    public CsvFormatException(string fileName, int line, int column, string reason)
        : base(Format(fileName, line, column, reason))
    {
        FileName = fileName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The CSV file (or the source name given to <see cref="CsvTable.Parse(string, string, bool)"/>).</summary>
    public string FileName { get; }

    /// <summary>1-based physical line, 0 when the error is not tied to a line.</summary>
    public int Line { get; }

    /// <summary>1-based character column within the line, 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Reason { get; }

    private static string Format(string file, int line, int column, string reason) =>
        line <= 0 ? $"{file}: {reason}"
        : column <= 0 ? $"{file}:{line}: {reason}"
        : $"{file}:{line}:{column}: {reason}";
}
