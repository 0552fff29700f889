using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Nn.Data;
using SkiaSharp;

namespace ScratchNet.Tests.Data;

public class SkyAqiManifestTests
{
    private const string Header = "Location,Filename,Year,Month,Day,Hour,AQI,PM2.5,PM10,O3,CO,SO2,NO2,AQI_Class";

    private static string Row(string loc, string file, int hour, string aqi) =>
        $"{loc},{file},2023,5,1,{hour},{aqi},10,20,30,0.5,2,15,a_Good";

    private static (TempDir Dir, string Csv, string Images) Setup(params string[] rows)
    {
        var dir = new TempDir();
        var images = dir.Sub("images");
        foreach (var name in new[] { "a.jpg", "b.jpg", "c.jpg", "d.jpg" })
            TestImages.SolidPng(Path.Combine(images, name), 8, 8, new SKColor(100, 150, 250));
        var csv = dir.File("aqi.csv");
        File.WriteAllText(csv, Header + "\n" + string.Join("\n", rows) + "\n");
        return (dir, csv, images);
    }

    [Fact]
    public void GoodRowsBecomeSkySamplesGroupedByStationAndHour()
    {
        var (dir, csv, images) = Setup(Row("Delhi", "a.jpg", 9, "120"), Row("Delhi", "b.jpg", 9, "120"), Row("Delhi", "c.jpg", 10, "80.5"));
        using var _ = dir;
        var m = SkyAqiManifest.Load(csv, images);
        Assert.Empty(m.Skipped);
        Assert.Equal(["is_sky", "aqi"], m.Schema.TargetNames);
        Assert.Equal(3, m.Samples.Count);
        Assert.Equal([1.0, 120.0], m.Samples[0].Targets);
        Assert.Equal([1.0, 80.5], m.Samples[2].Targets);
        Assert.Equal(m.Samples[0].GroupKey, m.Samples[1].GroupKey);
        Assert.NotEqual(m.Samples[0].GroupKey, m.Samples[2].GroupKey);
        Assert.Equal(2, m.Samples[0].SourceLine);
        Assert.Equal(Path.Combine(images, "a.jpg"), m.Samples[0].ImagePath);
    }

    [Fact]
    public void NegativesAreEveryImageFileInTheFolder()
    {
        var (dir, csv, images) = Setup(Row("Delhi", "a.jpg", 9, "120"));
        using var _ = dir;
        var neg = dir.Sub("neg");
        TestImages.SolidPng(Path.Combine(neg, "z.png"), 8, 8, SKColors.Gray);
        Directory.CreateDirectory(Path.Combine(neg, "sub"));
        TestImages.SolidPng(Path.Combine(neg, "sub", "y.PNG"), 8, 8, SKColors.Gray);
        File.WriteAllText(Path.Combine(neg, "readme.txt"), "not an image");
        var m = SkyAqiManifest.Load(csv, images, neg);
        Assert.Equal(3, m.Samples.Count);
        var negs = m.Samples.Skip(1).ToList();
        Assert.All(negs, s => Assert.Equal([0.0, -1.0], s.Targets));
        Assert.Equal(2, negs.Select(s => s.GroupKey).Distinct().Count());
        Assert.Equal(negs.OrderBy(s => s.ImagePath, StringComparer.Ordinal).Select(s => s.ImagePath), negs.Select(s => s.ImagePath));
    }

    [Fact]
    public void MissingRequiredColumnsAreFatalNamingCsvAndColumnsFound()
    {
        using var dir = new TempDir();
        var images = dir.Sub("images");
        var csv = dir.File("wrong.csv");
        File.WriteAllText(csv, "Location,File,AQI\nDelhi,a.jpg,5\n");
        var e = Assert.Throws<ManifestException>(() => SkyAqiManifest.Load(csv, images));
        Assert.Contains("wrong.csv", e.Message);
        Assert.Contains("Filename", e.Message);
        Assert.Contains("Location, File, AQI", e.Message);
    }

    [Fact]
    public void BadRowsAreSkippedAndListed()
    {
        var (dir, csv, images) = Setup(
            Row("Delhi", "a.jpg", 9, "120"),   // line 2 ok
            Row("Delhi", "b.jpg", 9, "abc"),   // 3 non-numeric
            Row("Delhi", "b.jpg", 9, "NaN"),   // 4 NaN
            Row("Delhi", "c.jpg", 9, "-3"),    // 5 negative
            Row("Delhi", "c.jpg", 9, "1500"),  // 6 too large
            Row("Delhi", "a.jpg", 9, "121"),   // 7 duplicate of line 2
            Row("Delhi", "gone.jpg", 9, "50"), // 8 missing image
            Row("Delhi", "d.jpg", 9, ""),      // 9 empty AQI
            "Delhi,c.jpg,2023");                // 10 ragged
        using var _ = dir;
        var m = SkyAqiManifest.Load(csv, images);
        Assert.Single(m.Samples);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10], m.Skipped.Select(s => s.Line));
        Assert.All(m.Skipped, s => Assert.Equal(csv, s.File));
        Assert.Contains("not a number", m.Skipped[0].Reason);
        Assert.Contains("NaN", m.Skipped[1].Reason);
        Assert.Contains("outside", m.Skipped[2].Reason);
        Assert.Contains("outside", m.Skipped[3].Reason);
        Assert.Contains("duplicate of line 2", m.Skipped[4].Reason);
        Assert.Contains("not found", m.Skipped[5].Reason);
        Assert.Contains("empty AQI", m.Skipped[6].Reason);
        Assert.Contains("fields", m.Skipped[7].Reason);

        var outCsv = dir.File("skipped.csv");
        SkippedRow.WriteCsv(outCsv, m.Skipped);
        var back = CsvTable.Load(outCsv);
        Assert.Equal(["file", "line", "reason"], back.Header);
        Assert.Equal(8, back.RowCount);
        Assert.Equal("3", back[0, "line"]);
        Assert.Equal(m.Skipped[0].Reason, back[0, "reason"]);
    }

    [Fact]
    public void StrictModeThrowsAtTheFirstBadRowNamingFileAndLine()
    {
        var (dir, csv, images) = Setup(Row("Delhi", "a.jpg", 9, "120"), Row("Delhi", "b.jpg", 9, "x"), Row("Delhi", "c.jpg", 9, "-1"));
        using var _ = dir;
        var e = Assert.Throws<ManifestException>(() => SkyAqiManifest.Load(csv, images, null, new SkyAqiManifestOptions { Strict = true }));
        Assert.Contains($"{csv}:3:", e.Message);
        Assert.Contains("not a number", e.Message);
    }

    [Fact]
    public void VerifyDecodeSkipsUndecodableImages()
    {
        var (dir, csv, images) = Setup(Row("Delhi", "a.jpg", 9, "120"), Row("Delhi", "bad.jpg", 9, "100"));
        using var _ = dir;
        File.WriteAllText(Path.Combine(images, "bad.jpg"), "hello");
        var lazy = SkyAqiManifest.Load(csv, images);
        Assert.Equal(2, lazy.Samples.Count); // without verification decoding is left to the loader
        var m = SkyAqiManifest.Load(csv, images, null, new SkyAqiManifestOptions { VerifyDecode = true });
        Assert.Single(m.Samples);
        Assert.Equal(3, Assert.Single(m.Skipped).Line);
        Assert.Contains("bad.jpg", m.Skipped[0].Reason);
        var e = Assert.Throws<ManifestException>(() => SkyAqiManifest.Load(csv, images, null, new SkyAqiManifestOptions { VerifyDecode = true, Strict = true }));
        Assert.Contains("bad.jpg", e.Message);
    }

    [Fact]
    public void MissingDirectoriesAreFatalNamingThem()
    {
        var (dir, csv, images) = Setup(Row("Delhi", "a.jpg", 9, "120"));
        using var _ = dir;
        var e1 = Assert.Throws<ManifestException>(() => SkyAqiManifest.Load(csv, "/nonexistent/imgs"));
        Assert.Contains("/nonexistent/imgs", e1.Message);
        var e2 = Assert.Throws<ManifestException>(() => SkyAqiManifest.Load(csv, images, "/nonexistent/neg"));
        Assert.Contains("/nonexistent/neg", e2.Message);
        Assert.Contains("negatives", e2.Message);
    }
}
