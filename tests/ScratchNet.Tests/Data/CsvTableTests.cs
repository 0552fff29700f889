using ScratchNet.Nn.Data;

namespace ScratchNet.Tests.Data;

public class CsvTableTests
{
    [Fact]
    public void QuotedFieldsMayHoldCommasQuotesAndNewlines()
    {
        var t = CsvTable.Parse("a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"line1\r\nline2\"\r\nplain,,end\r\n", "t.csv");
        Assert.Equal(["a", "b", "c"], t.Header);
        Assert.Equal(2, t.RowCount);
        Assert.Equal("x, y", t[0, "a"]);
        Assert.Equal("he said \"hi\"", t[0, "b"]);
        Assert.Equal("line1\r\nline2", t[0, "c"]);
        Assert.Equal("", t[1, "b"]);
        Assert.Equal("end", t[1, "c"]);
        Assert.Equal(2, t.LineOf(0));
        Assert.Equal(4, t.LineOf(1)); // the embedded line break moved the second record down a line
    }

    [Fact]
    public void BomLfOnlyNoTrailingNewlineAndBlankLinesAreHandled()
    {
        var t = CsvTable.Parse("\uFEFFFilename,AQI\n\na.jpg,12\nb.jpg,13", "t.csv");
        Assert.Equal("Filename", t.Header[0]);
        Assert.True(t.HasColumn("Filename"));
        Assert.Equal(2, t.RowCount);
        Assert.Equal("13", t[1, "AQI"]);
        Assert.Equal(3, t.LineOf(0));
    }

    [Fact]
    public void LoadStripsUtf8BomFromFile()
    {
        using var dir = new TempDir();
        var p = dir.File("bom.csv");
        File.WriteAllBytes(p, [0xEF, 0xBB, 0xBF, .. "Filename,AQI\r\nä.jpg,1\r\n"u8.ToArray()]);
        var t = CsvTable.Load(p);
        Assert.Equal("Filename", t.Header[0]);
        Assert.Equal("ä.jpg", t[0, "Filename"]);
    }

    [Fact]
    public void UnclosedQuoteNamesFileLineAndColumn()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a,b\n1,\"oops\n2,3\n", "bad.csv"));
        Assert.Equal("bad.csv", e.FileName);
        Assert.Equal(2, e.Line);
        Assert.Equal(3, e.Column);
        Assert.Contains("bad.csv:2:3", e.Message);
    }

    [Fact]
    public void StrayQuotesAreErrorsWithPosition()
    {
        var e1 = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a,b\n1,ab\"c\n", "q.csv"));
        Assert.Equal((2, 5), (e1.Line, e1.Column));
        var e2 = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a,b\n\"x\"y,1\n", "q.csv"));
        Assert.Equal((2, 4), (e2.Line, e2.Column));
    }

    [Fact]
    public void RaggedRowIsAnErrorUnlessAllowed()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a,b\n1,2\n3\n", "r.csv"));
        Assert.Equal(3, e.Line);
        Assert.Contains("1 fields", e.Message);
        var t = CsvTable.Parse("a,b\n1,2\n3\n", "r.csv", allowRaggedRows: true);
        Assert.Equal(1, t.FieldCount(1));
        Assert.Throws<CsvFormatException>(() => t[1, "b"]);
    }

    [Fact]
    public void EmptyFileIsAnError()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("", "empty.csv"));
        Assert.Contains("empty.csv", e.Message);
        Assert.Contains("header", e.Message);
    }

    [Fact]
    public void UnknownColumnListsColumnsFound()
    {
        var t = CsvTable.Parse("Filename,AQI\na,1\n", "c.csv");
        var e = Assert.Throws<CsvFormatException>(() => t.ColumnIndex("PM2.5"));
        Assert.Contains("c.csv", e.Message);
        Assert.Contains("Filename, AQI", e.Message);
    }

    [Fact]
    public void DuplicateHeadersAreReportedAndAmbiguousLookupThrows()
    {
        var t = CsvTable.Parse("a,b,a,c,c\n1,2,3,4,5\n", "d.csv");
        Assert.Equal(["a", "c"], t.DuplicateHeaders);
        Assert.Equal("2", t[0, "b"]);
        var e = Assert.Throws<CsvFormatException>(() => t[0, "a"]);
        Assert.Contains("more than once", e.Message);
    }

    [Fact]
    public void MissingFileIsACsvErrorNamingTheFile()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvTable.Load("/nonexistent/x.csv"));
        Assert.Contains("/nonexistent/x.csv", e.Message);
    }
}
