using ScratchNet.Nn.Experiments.Plots;
using ScratchNet.Nn.Metrics;
using SkiaSharp;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Metrics;

/// <summary>
/// Each plot writes a decodable PNG of the expected size with real content. The PNGs are left in
/// <c>$TMPDIR/scratchnet-plot-tests/</c> to look at.
/// </summary>
public class PlotTests(ITestOutputHelper output)
{
    private static readonly string OutDir = Path.Combine(Path.GetTempPath(), "scratchnet-plot-tests");

    private string OutPath(string name)
    {
        Directory.CreateDirectory(OutDir);
        string path = Path.Combine(OutDir, name);
        output.WriteLine(path);
        return path;
    }

    /// <summary>Decodes the PNG and checks its size, that it is not blank, and that there are dark (text / line) pixels.</summary>
    private void AssertPng(string path, int width, int height)
    {
        Assert.True(File.Exists(path));
        Assert.True(new FileInfo(path).Length > 1000);
        using var codec = SKCodec.Create(path);
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        using var bmp = SKBitmap.Decode(path);
        Assert.Equal(width, bmp.Width);
        Assert.Equal(height, bmp.Height);
        var colors = new HashSet<uint>();
        int dark = 0;
        for (int y = 0; y < bmp.Height; y += 2)
        {
            for (int x = 0; x < bmp.Width; x += 2)
            {
                var c = bmp.GetPixel(x, y);
                colors.Add((uint)c);
                if (c.Red + c.Green + c.Blue < 200) dark++;
            }
        }
        Assert.True(colors.Count > 20, $"only {colors.Count} colours: blank image?");
        Assert.True(dark > 100, $"only {dark} dark pixels: no text or axes?");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp.png"));
    }

    [Fact]
    public void FontHasLatinGlyphs()
    {
        PlotOutput.EnsureFont();
        output.WriteLine("plot font: " + PlotOutput.FontFamily);
        string? anyFont = PlotOutput.FindFontFile(PlotOutput.SystemFontFolders);
        output.WriteLine("first usable .ttf on this machine: " + (anyFont ?? "none"));
        if (anyFont is null && Environment.GetEnvironmentVariable(PlotOutput.FontEnvironmentVariable) is null)
        {
            // a machine with no font at all: plots still render (lines, colours), text cannot; say so, don't fail
            output.WriteLine("NO FONT on this machine: plot text will be empty; install fonts-dejavu-core or set SCRATCHNET_PLOT_FONT");
            return;
        }
        Assert.True(PlotOutput.HasUsableFont, PlotOutput.FontFamily);
    }

    [Fact]
    public void FontFileFallbackResolves()
    {
        // the last-resort path: register a .ttf found on disk with ScottPlot and get real glyphs back
        string? file = PlotOutput.FindFontFile(PlotOutput.SystemFontFolders);
        if (file is null) { output.WriteLine("no .ttf on this machine; nothing to check"); return; }
        ScottPlot.Fonts.AddFontFile("ScratchNetTestFont", file, false, false);
        var tf = ScottPlot.Fonts.GetTypeface("ScratchNetTestFont", false, false);
        Assert.NotEqual(0, tf.GetGlyph('A'));
    }

    /// <summary>Dark pixels in a horizontal strip (e.g. where a title is drawn).</summary>
    private static int DarkPixelsIn(string path, int x0, int x1, int y0, int y1)
    {
        using var bmp = SKBitmap.Decode(path);
        int dark = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 200) dark++;
            }
        return dark;
    }

    [Fact]
    public void TrainingCurvesPng()
    {
        var rows = new List<EpochValues>();
        for (int e = 1; e <= 30; e++)
        {
            double loss = 2.0 * Math.Exp(-e / 8.0) + 0.1;
            rows.Add(new EpochValues(e, new Dictionary<string, double>
            {
                ["train_loss"] = loss,
                ["val_loss"] = loss * 1.15 + 0.02 * Math.Sin(e),
                ["val_accuracy"] = 1 - 0.5 * Math.Exp(-e / 5.0),
                ["val_f1"] = 1 - 0.6 * Math.Exp(-e / 5.0),
                ["val_mae"] = 20 + 80 * Math.Exp(-e / 10.0),
                ["lr"] = 1e-4,
            }));
        }
        string path = OutPath("training_curves.png");
        int panels = TrainingCurves.Save(path, rows, "Sky / AQI multi-task");
        Assert.Equal(3, panels); // loss, scores, errors; lr left out
        AssertPng(path, 1000, 3 * 340);
        PlotOutput.EnsureFont();
        if (PlotOutput.HasUsableFont)
        {
            // the title strip above the first panel holds nothing but the title text: dark pixels there = text rendered
            int titleInk = DarkPixelsIn(path, 250, 750, 2, 30);
            output.WriteLine($"title ink: {titleInk} dark pixels");
            Assert.True(titleInk > 150, $"title strip has only {titleInk} dark pixels: text not rendered?");
        }

        string lossOnly = OutPath("training_curves_loss_only.png");
        Assert.Equal(1, TrainingCurves.Save(lossOnly, rows.Select(r => new EpochValues(r.Epoch,
            new Dictionary<string, double> { ["train_loss"] = r.Values["train_loss"] })).ToList()));
        AssertPng(lossOnly, 1000, 340);
    }

    [Fact]
    public void TrainingCurvesFromCsv()
    {
        string csv = Path.Combine(OutDir, "log.csv");
        Directory.CreateDirectory(OutDir);
        File.WriteAllText(csv, "epoch,train_loss,val_loss,val_mae\n1,1.5,1.7,80\n2,1.0,1.2,\n3,0.7,0.9,40\n");
        var rows = EpochValues.ReadCsv(csv);
        Assert.Equal(3, rows.Count);
        Assert.Equal(1.2, rows[1].Values["val_loss"]);
        Assert.False(rows[1].Values.ContainsKey("val_mae"));
        string path = OutPath("training_curves_csv.png");
        Assert.Equal(2, TrainingCurves.Save(path, rows));
        AssertPng(path, 1000, 2 * 340);
    }

    [Fact]
    public void ScatterPng()
    {
        var rng = new Random(7);
        var t = new double[600];
        var p = new double[600];
        for (int i = 0; i < t.Length; i++)
        {
            t[i] = 15 + rng.NextDouble() * 400;
            p[i] = t[i] + (rng.NextDouble() - 0.5) * 80 - 10;
        }
        string path = OutPath("aqi_scatter.png");
        ScatterPlot.Save(path, t, p, "AQI: predicted vs true (true-sky test images)", "true AQI", "predicted AQI", 800);
        AssertPng(path, 800, 800);
        Assert.Throws<ArgumentException>(() => ScatterPlot.Save(path, [1.0], [], "x"));
    }

    [Fact]
    public void ConfusionMatrixPng()
    {
        var rng = new Random(3);
        var cm = new ConfusionMatrix(6, ["Good", "Moderate", "Unhealthy for Sensitive Groups", "Unhealthy", "Very Unhealthy", "Hazardous"]);
        int[] sizes = [400, 700, 300, 200, 80, 15];
        for (int t = 0; t < 6; t++)
        {
            for (int i = 0; i < sizes[t]; i++)
            {
                double u = rng.NextDouble();
                int p = u < 0.7 ? t : u < 0.85 ? Math.Max(0, t - 1) : Math.Min(5, t + 1);
                cm.Add(t, p);
            }
        }
        string path = OutPath("aqi_band_confusion.png");
        var (w, h) = ConfusionMatrixPlot.Save(path, cm, "AQI bands (true-sky test images)");
        AssertPng(path, w, h);

        var sky = BinaryClassificationMetrics.FromCounts(950, 24, 920, 7, "sky", "not sky").ToConfusionMatrix();
        string skyPath = OutPath("is_sky_confusion.png");
        var (w2, h2) = ConfusionMatrixPlot.Save(skyPath, sky, "is_sky");
        AssertPng(skyPath, w2, h2);
    }

    [Fact]
    public void WrapKeepsWordsAndBreaksLongLabels()
    {
        Assert.Equal("Unhealthy for\nSensitive Groups", ConfusionMatrixPlot.Wrap("Unhealthy for Sensitive Groups", 16));
        Assert.Equal("Good", ConfusionMatrixPlot.Wrap("Good", 15));
        Assert.Equal("Supercalifragilistic", ConfusionMatrixPlot.Wrap("Supercalifragilistic", 5));
    }
}
