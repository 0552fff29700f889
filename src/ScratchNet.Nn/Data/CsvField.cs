namespace ScratchNet.Nn.Data;

/// <summary>Writing one CSV field (RFC 4180): quoted only when it holds a comma, a quote or a line break.</summary>
public static class CsvField
{
    /// <summary><paramref name="value"/> as a CSV field: as is, or in double quotes with inner quotes doubled.</summary>
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
