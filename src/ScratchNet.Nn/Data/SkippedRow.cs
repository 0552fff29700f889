using System.Globalization;
using System.Text;

namespace ScratchNet.Nn.Data;

/// <summary>
/// A manifest row or image left out of training, and why: what <c>skipped.csv</c> lists so a user can fix the data
/// instead of wondering why the sample count is low.
/// </summary>
/// <param name="File">The CSV (for a bad row) or the image file (for a negative or an image that failed to decode).</param>
/// <param name="Line">1-based CSV line, or 0 when the entry is not a CSV row.</param>
/// <param name="Reason">Human-readable reason.</param>
public sealed record SkippedRow(string File, int Line, string Reason)
{
    /// <summary>Writes <c>file,line,reason</c> rows (RFC 4180 quoting) with a header to <paramref name="path"/>.</summary>
    public static void WriteCsv(string path, IEnumerable<SkippedRow> rows)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        WriteCsv(writer, rows);
    }

    /// <summary>Writes the rows to <paramref name="writer"/> (header <c>file,line,reason</c>, CRLF line ends as RFC 4180).</summary>
    public static void WriteCsv(TextWriter writer, IEnumerable<SkippedRow> rows)
    {
        writer.Write("file,line,reason\r\n");
        foreach (var r in rows)
            writer.Write($"{CsvField.Quote(r.File)},{r.Line.ToString(CultureInfo.InvariantCulture)},{CsvField.Quote(r.Reason)}\r\n");
    }

    /// <summary>"file:line: reason".</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Reason}" : $"{File}: {Reason}";
}
