using System.Text;

namespace ScratchNet.Nn.Data;

/// <summary>
/// A CSV file read whole into memory: a required header row and string fields, accessed by column name.
/// PyTorch users reach for <c>pandas.read_csv</c>; this is the small, strict subset a dataset manifest needs.
/// </summary>
/// <remarks>
/// Follows RFC 4180: fields separated by commas, records by CRLF or LF (a lone CR too); a field wrapped in double
/// quotes may contain commas, line breaks and doubled quotes (<c>""</c> → <c>"</c>). A UTF-8 byte-order mark is
/// dropped. Blank lines are skipped rather than read as one-empty-field records, because spreadsheets and editors
/// leave them at the end of files and no manifest means anything by them. Fields are not trimmed: a space is data.
/// Duplicate header names are allowed at load time (real exports have them) but listed in
/// <see cref="DuplicateHeaders"/>, and looking such a column up by name throws, since the answer would be a guess.
/// </remarks>
public sealed class CsvTable
{
    private readonly string[] header;
    private readonly List<string[]> rows;
    private readonly List<int> lines;
    private readonly Dictionary<string, int> index;
    private readonly HashSet<string> duplicates;

    private CsvTable(string sourceName, string[] header, List<string[]> rows, List<int> lines)
    {
        SourceName = sourceName;
        this.header = header;
        this.rows = rows;
        this.lines = lines;
        index = new Dictionary<string, int>(StringComparer.Ordinal);
        duplicates = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < header.Length; c++)
            if (!index.TryAdd(header[c], c))
                duplicates.Add(header[c]);
        DuplicateHeaders = header.Where(duplicates.Contains).Distinct().ToArray();
    }

    /// <summary>The file path, or the name given to <see cref="Parse(string, string, bool)"/>; used in every error.</summary>
    public string SourceName { get; }

    /// <summary>Column names in file order.</summary>
    public IReadOnlyList<string> Header => header;

    /// <summary>Header names that occur more than once (each listed once, in file order).</summary>
    public IReadOnlyList<string> DuplicateHeaders { get; }

    /// <summary>Number of data records (the header is not counted).</summary>
    public int RowCount => rows.Count;

    /// <summary>True when a column of exactly this name (ordinal, case-sensitive) exists.</summary>
    public bool HasColumn(string name) => index.ContainsKey(name);

    /// <summary>
    /// The 0-based position of column <paramref name="name"/>. Throws <see cref="CsvFormatException"/> naming the
    /// file and the columns found when it is absent, or when the name is duplicated in the header.
    /// </summary>
    public int ColumnIndex(string name)
    {
        if (duplicates.Contains(name))
            throw new CsvFormatException(SourceName, 1, 0, $"column '{name}' appears more than once in the header; cannot tell which one is meant");
        if (!index.TryGetValue(name, out int c))
            throw new CsvFormatException(SourceName, 1, 0, $"no column '{name}'; columns found: {string.Join(", ", header)}");
        return c;
    }

    /// <summary>All fields of data record <paramref name="row"/> (0-based). May be shorter or longer than the header when ragged rows were allowed.</summary>
    public IReadOnlyList<string> Row(int row) => rows[row];

    /// <summary>Field count of data record <paramref name="row"/>.</summary>
    public int FieldCount(int row) => rows[row].Length;

    /// <summary>The 1-based physical line on which data record <paramref name="row"/> starts (for error messages).</summary>
    public int LineOf(int row) => lines[row];

    /// <summary>The field of record <paramref name="row"/> in column <paramref name="column"/>.</summary>
    public string this[int row, int column]
    {
        get
        {
            var r = rows[row];
            if ((uint)column >= (uint)r.Length)
                throw new CsvFormatException(SourceName, lines[row], 0, $"record has {r.Length} fields, no column {column + 1} ('{(column < header.Length ? header[column] : "?")}')");
            return r[column];
        }
    }

    /// <summary>The field of record <paramref name="row"/> in the column named <paramref name="column"/>.</summary>
    public string this[int row, string column] => this[row, ColumnIndex(column)];

    /// <summary>
    /// Reads <paramref name="path"/> as UTF-8 (BOM optional). With <paramref name="allowRaggedRows"/> false a record
    /// whose field count differs from the header's is an error; with true it is kept for the caller to judge.
    /// </summary>
    public static CsvTable Load(string path, bool allowRaggedRows = false)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CsvFormatException(path, 0, 0, $"cannot read the file: {e.Message}");
        }
        return Parse(text, path, allowRaggedRows);
    }

    /// <summary>Parses CSV text; <paramref name="sourceName"/> names it in errors.</summary>
    public static CsvTable Parse(string text, string sourceName = "<csv>", bool allowRaggedRows = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        int pos = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
            pos = 1; // File.ReadAllText strips a BOM, but a string from elsewhere may still carry one.

        var records = new List<string[]>();
        var recordLines = new List<int>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, lineStart = pos;

        while (pos < text.Length)
        {
            // Start of a record. A blank line (nothing before its line break) is skipped.
            if (text[pos] is '\r' or '\n')
            {
                pos = SkipLineBreak(text, pos);
                line++;
                lineStart = pos;
                continue;
            }

            int recordLine = line;
            fields.Clear();
            bool endOfRecord = false;
            while (!endOfRecord)
            {
                field.Clear();
                if (pos < text.Length && text[pos] == '"')
                {
                    int openLine = line, openCol = pos - lineStart + 1;
                    pos++;
                    while (true)
                    {
                        if (pos >= text.Length)
                            throw new CsvFormatException(sourceName, openLine, openCol, "quoted field is never closed (missing '\"')");
                        char ch = text[pos];
                        if (ch == '"')
                        {
                            if (pos + 1 < text.Length && text[pos + 1] == '"')
                            {
                                field.Append('"');
                                pos += 2;
                                continue;
                            }
                            pos++;
                            break;
                        }
                        if (ch is '\r' or '\n')
                        {
                            // Embedded line breaks are data; keep them as written but count the line.
                            int next = SkipLineBreak(text, pos);
                            field.Append(text, pos, next - pos);
                            pos = next;
                            line++;
                            lineStart = pos;
                            continue;
                        }
                        field.Append(ch);
                        pos++;
                    }
                    if (pos < text.Length && text[pos] is not (',' or '\r' or '\n'))
                        throw new CsvFormatException(sourceName, line, pos - lineStart + 1, $"unexpected '{text[pos]}' after a closing quote (a quote inside a quoted field must be doubled)");
                }
                else
                {
                    while (pos < text.Length && text[pos] is not (',' or '\r' or '\n'))
                    {
                        if (text[pos] == '"')
                            throw new CsvFormatException(sourceName, line, pos - lineStart + 1, "'\"' inside an unquoted field (quote the whole field and double the quote)");
                        field.Append(text[pos]);
                        pos++;
                    }
                }
                fields.Add(field.ToString());

                if (pos >= text.Length)
                    endOfRecord = true;
                else if (text[pos] == ',')
                    pos++;
                else
                {
                    pos = SkipLineBreak(text, pos);
                    line++;
                    lineStart = pos;
                    endOfRecord = true;
                }
            }
            records.Add(fields.ToArray());
            recordLines.Add(recordLine);
        }

        if (records.Count == 0)
            throw new CsvFormatException(sourceName, 0, 0, "empty file: a header row is required");
        var head = records[0];
        records.RemoveAt(0);
        recordLines.RemoveAt(0);
        if (!allowRaggedRows)
            for (int r = 0; r < records.Count; r++)
                if (records[r].Length != head.Length)
                    throw new CsvFormatException(sourceName, recordLines[r], 0, $"record has {records[r].Length} fields but the header has {head.Length}");
        return new CsvTable(sourceName, head, records, recordLines);
    }

    private static int SkipLineBreak(string text, int pos) =>
        text[pos] == '\r' && pos + 1 < text.Length && text[pos + 1] == '\n' ? pos + 2 : pos + 1;
}
