using System.Globalization;
using System.Security.Cryptography;
using ScratchNet.Apps.Datasets.Sky;
using SkiaSharp;

namespace ScratchNet.Tests.Datasets;

public class SkyDatasetTests
{
    // ---------- AQI scale ----------

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(12.0, 50)]
    [InlineData(12.1, 51)]
    [InlineData(35.4, 100)]
    [InlineData(35.5, 101)]
    [InlineData(55.4, 150)]
    [InlineData(55.5, 151)]
    [InlineData(150.4, 200)]
    [InlineData(150.5, 201)]
    [InlineData(250.4, 300)]
    [InlineData(250.5, 301)]
    [InlineData(350.4, 400)]
    [InlineData(350.5, 401)]
    [InlineData(500.4, 500)]
    public void AqiScale_BreakpointsMapExactlyBothWays(double pm, int aqi)
    {
        Assert.Equal(aqi, AqiScale.Pm25ToAqi(pm), 9);
        Assert.Equal(pm, AqiScale.AqiToPm25(aqi), 9);
    }

    [Fact]
    public void AqiScale_RoundTripsAndIsMonotone()
    {
        double prev = -1;
        for (double pm = 0; pm <= 600; pm += 0.37)
        {
            double aqi = AqiScale.Pm25ToAqi(pm);
            Assert.True(aqi > prev);
            Assert.Equal(pm, AqiScale.AqiToPm25(aqi), 9);
            prev = aqi;
        }
        // Inside a row the EPA formula applies: 35.5–55.4 → 101–150, so 45.45 µg/m³ is AQI 125.5.
        Assert.Equal(125.5, AqiScale.Pm25ToAqi(45.45), 9);
    }

    [Theory]
    [InlineData(0, AqiBand.Good)]
    [InlineData(50, AqiBand.Good)]
    [InlineData(51, AqiBand.Moderate)]
    [InlineData(100, AqiBand.Moderate)]
    [InlineData(101, AqiBand.UnhealthyForSensitiveGroups)]
    [InlineData(150, AqiBand.UnhealthyForSensitiveGroups)]
    [InlineData(151, AqiBand.Unhealthy)]
    [InlineData(200, AqiBand.Unhealthy)]
    [InlineData(201, AqiBand.VeryUnhealthy)]
    [InlineData(300, AqiBand.VeryUnhealthy)]
    [InlineData(301, AqiBand.Hazardous)]
    [InlineData(480, AqiBand.Hazardous)]
    public void AqiScale_Bands(int aqi, AqiBand band)
    {
        Assert.Equal(band, AqiScale.BandOf(aqi));
        Assert.True(aqi <= AqiScale.UpperBound(band));
        Assert.True(AqiScale.TryParseBand(AqiScale.BandName(band), out var b1) && b1 == band);
        Assert.True(AqiScale.TryParseBand(AqiScale.DatasetClassLabel(band), out var b2) && b2 == band);
    }

    [Fact]
    public void AqiScale_NamesAndBreakpointTable()
    {
        Assert.Equal("Unhealthy for Sensitive Groups", AqiScale.BandName(AqiBand.UnhealthyForSensitiveGroups));
        Assert.Equal("f_Severe", AqiScale.DatasetClassLabel(AqiBand.Hazardous));
        Assert.Equal(7, AqiScale.Breakpoints.Count);
        Assert.Equal(6, AqiScale.Bands.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => AqiScale.Pm25ToAqi(-1));
    }

    // ---------- generator output ----------

    private static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "scratchnet-sky-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    private static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(SkyDatasetGenerator.ManifestFileName, StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void Generate_IsDeterministicForASeedAndDiffersAcrossSeeds()
    {
        string a = TempDir(), b = TempDir(), c = TempDir();
        try
        {
            SkyDatasetGenerator.Generate(new SkyDatasetOptions { OutDir = a, Count = 24, Size = 24, Seed = 5, MaxDegreeOfParallelism = 1 });
            SkyDatasetGenerator.Generate(new SkyDatasetOptions { OutDir = b, Count = 24, Size = 24, Seed = 5 });
            SkyDatasetGenerator.Generate(new SkyDatasetOptions { OutDir = c, Count = 24, Size = 24, Seed = 6 });
            var ha = Hashes(a);
            Assert.Equal(ha, Hashes(b)); // thread count and scheduling do not matter
            var hc = Hashes(c);
            Assert.NotEqual(ha[SkyDatasetGenerator.CsvFileName], hc[SkyDatasetGenerator.CsvFileName]);
            int sameNeg = Enumerable.Range(0, 24).Count(i => ha[Path.Combine("negatives", $"neg_{i:D6}.png")] == hc[Path.Combine("negatives", $"neg_{i:D6}.png")]);
            Assert.Equal(0, sameNeg);
        }
        finally
        {
            foreach (var d in new[] { a, b, c }) Directory.Delete(d, true);
        }
    }

    [Fact]
    public void Generate_WritesRealLayoutCsvGroupsNegativesAndManifest()
    {
        string dir = TempDir();
        try
        {
            int reports = 0;
            var progress = new SyncProgress(_ => Interlocked.Increment(ref reports));
            var result = SkyDatasetGenerator.Generate(new SkyDatasetOptions { OutDir = dir, Count = 120, Size = 32, Seed = 1 }, progress);
            Assert.True(SkyDatasetGenerator.IsComplete(dir));
            Assert.True(reports > 0);

            var lines = File.ReadAllLines(Path.Combine(dir, "aqi.csv"));
            Assert.Equal("Location,Filename,Year,Month,Day,Hour,AQI,PM2.5,PM10,O3,CO,SO2,NO2,AQI_Class", lines[0]);
            Assert.Equal(121, lines.Length);
            var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
            var ci = CultureInfo.InvariantCulture;
            foreach (var r in rows)
            {
                Assert.Equal(14, r.Length);
                Assert.StartsWith("Station-", r[0]);
                Assert.True(File.Exists(Path.Combine(dir, "sky", r[1])));
                int year = int.Parse(r[2], ci), month = int.Parse(r[3], ci), day = int.Parse(r[4], ci), hour = int.Parse(r[5], ci);
                Assert.InRange(year, 2022, 2024); Assert.InRange(month, 1, 12); Assert.InRange(day, 1, 31); Assert.InRange(hour, 0, 23);
                int aqi = int.Parse(r[6], ci);
                Assert.InRange(aqi, 15, 450);
                double pm = double.Parse(r[7], ci);
                Assert.Equal(aqi, AqiScale.Pm25ToAqi(pm), 0.6); // the station PM2.5 is the label's EPA inverse (1 decimal)
                for (int k = 8; k <= 12; k++) Assert.True(double.Parse(r[k], ci) >= 0);
                Assert.Equal(AqiScale.DatasetClassLabel(AqiScale.BandOf(aqi)), r[13]);
            }

            // ~9 shots per station+timestamp, all sharing one AQI.
            var groups = rows.GroupBy(r => string.Join('|', r[0], r[2], r[3], r[4], r[5])).ToList();
            Assert.All(groups, g => Assert.Single(g.Select(r => r[6]).Distinct()));
            Assert.All(groups.SkipLast(1), g => Assert.InRange(g.Count(), 6, 12));
            Assert.InRange(rows.Count / (double)groups.Count, 7.5, 10.5);
            Assert.Equal(groups.Count, result.Groups);

            // As many negatives as positives, and some hard ones.
            Assert.Equal(120, Directory.GetFiles(Path.Combine(dir, "negatives")).Length);
            Assert.Equal(120, result.Negatives);
            Assert.True(result.HardNegatives > 10, $"hard negatives {result.HardNegatives}");

            // Images decode at the requested size.
            foreach (var f in Directory.GetFiles(Path.Combine(dir, "sky")).Take(5).Concat(Directory.GetFiles(Path.Combine(dir, "negatives")).Take(5)))
            {
                using var bmp = SKBitmap.Decode(f);
                Assert.Equal(32, bmp.Width);
                Assert.Equal(32, bmp.Height);
            }

            var manifest = File.ReadAllText(Path.Combine(dir, "dataset.json"));
            Assert.Contains("\"groupBy\"", manifest);
            Assert.Contains("\"Location\"", manifest);
            Assert.Contains(SkyDatasetGenerator.GeneratorVersion, manifest);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Generate_JpegAndRealNegativesAreCopied()
    {
        string dir = TempDir(), real = TempDir();
        try
        {
            for (int i = 0; i < 3; i++) File.WriteAllBytes(Path.Combine(real, $"photo{i}.jpg"), [0xFF, 0xD8, (byte)i]);
            File.WriteAllText(Path.Combine(real, "readme.txt"), "not an image");
            var result = SkyDatasetGenerator.Generate(new SkyDatasetOptions { OutDir = dir, Count = 10, Size = 16, ImageFormat = SkyImageFormat.Jpeg, NegativesFrom = real });
            Assert.Equal(3, result.CopiedNegatives);
            var negs = Directory.GetFiles(Path.Combine(dir, "negatives"));
            Assert.Equal(10, negs.Length);
            Assert.Equal(3, negs.Count(f => Path.GetFileName(f).StartsWith("real_", StringComparison.Ordinal)));
            Assert.All(Directory.GetFiles(Path.Combine(dir, "sky")), f => Assert.EndsWith(".jpg", f));
            using var bmp = SKBitmap.Decode(Directory.GetFiles(Path.Combine(dir, "sky"))[0]);
            Assert.Equal(16, bmp.Width);
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(real, true);
        }
    }

    [Fact]
    public void Generate_DirectoryWithoutManifestIsIncomplete()
    {
        string dir = TempDir();
        try
        {
            Assert.False(SkyDatasetGenerator.IsComplete(dir));
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() =>
                SkyDatasetGenerator.Generate(new SkyDatasetOptions { OutDir = dir, Count = 50, Size = 16 }, null, cts.Token));
            Assert.False(SkyDatasetGenerator.IsComplete(dir));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // ---------- learnability without a network ----------

    /// <summary>Mean saturation and blueness of the top quarter (always sky: the horizon sits 50–85 % down).</summary>
    private static (double Saturation, double Blueness) UpperSky(byte[] rgb, int size)
    {
        double sat = 0, blue = 0; int n = 0;
        for (int y = 0; y < size / 4; y++)
            for (int x = 0; x < size; x++)
            {
                int o = (y * size + x) * 3;
                double r = rgb[o], g = rgb[o + 1], b = rgb[o + 2];
                double mx = Math.Max(r, Math.Max(g, b)), mn = Math.Min(r, Math.Min(g, b));
                sat += mx > 0 ? (mx - mn) / mx : 0;
                blue += (b - (r + g) / 2) / (r + g + b + 1);
                n++;
            }
        return (sat / n, blue / n);
    }

    private static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Count; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
    }

    [Fact]
    public void Sky_UpperSkyColourTracksAqiButIsNotTheWholeStory()
    {
        const int size = 32;
        var sky = new SkyRenderer(11, 1800);
        // One image per group: 200 independent groups, so near-duplicates do not inflate the correlation.
        var picks = sky.Samples.GroupBy(s => s.GroupIndex).Select(g => g.First()).Take(200).ToList();
        var feats = new double[picks.Count];
        var blues = new double[picks.Count];
        var aqi = picks.Select(p => (double)p.Aqi).ToArray();
        Parallel.For(0, picks.Count, i => (feats[i], blues[i]) = UpperSky(sky.Render(picks[i].Index, size), size));
        double rSat = Pearson(feats, aqi), rBlue = Pearson(blues, aqi);
        Console.WriteLine($"learnability: r(saturation, AQI) = {rSat:F3}, r(blueness, AQI) = {rBlue:F3}, R² = {rSat * rSat:F3} / {rBlue * rBlue:F3}");
        Assert.True(Math.Abs(rBlue) > 0.6 || Math.Abs(rSat) > 0.6, $"r_sat {rSat:F3}, r_blue {rBlue:F3}");
        Assert.True(rSat * rSat < 0.95 && rBlue * rBlue < 0.95, $"single feature too good: {rSat:F3} {rBlue:F3}");
    }

    [Fact]
    public void SkyAndNegatives_DifferInSimpleStatisticsYetHardNegativesExist()
    {
        const int size = 32, n = 160;
        var sky = new SkyRenderer(3, n);
        var neg = new NegativeRenderer(3);
        // Vertical brightness gradient: skies are bright on top and have a darker skyline at the bottom.
        static double TopMinusBottom(byte[] rgb, int size)
        {
            double top = 0, bottom = 0;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    int o = (y * size + x) * 3;
                    double l = rgb[o] + rgb[o + 1] + rgb[o + 2];
                    if (y < size / 4) top += l; else if (y >= 3 * size / 4) bottom += l;
                }
            return (top - bottom) / (size * size / 4.0 * 765);
        }
        var skyStat = Enumerable.Range(0, n).Select(i => TopMinusBottom(sky.Render(i, size), size)).ToArray();
        var negStat = Enumerable.Range(0, n).Select(i => TopMinusBottom(neg.Render(i, size), size)).ToArray();
        Assert.True(skyStat.Average() > negStat.Average() + 0.1, $"sky {skyStat.Average():F3} vs neg {negStat.Average():F3}");

        var kinds = Enumerable.Range(0, n).Select(neg.KindOf).ToList();
        Assert.Contains(NegativeKind.FlatWall, kinds);
        Assert.Contains(NegativeKind.BlueSurface, kinds);
        Assert.Contains(NegativeKind.Water, kinds);
        Assert.True(kinds.Distinct().Count() >= 10);
        // Hard negatives (flat wall, water, blue surface, asphalt) are a real share, not a token few.
        int hard = kinds.Count(NegativeRenderer.IsHard);
        Assert.InRange(hard / (double)n, 0.2, 0.5);

        // Blue surfaces are as blue on top as clean skies are.
        var blueNeg = Enumerable.Range(0, n).Where(i => kinds[i] == NegativeKind.BlueSurface).Select(i => UpperSky(neg.Render(i, size), size).Blueness).Max();
        var cleanSky = Enumerable.Range(0, n).Where(i => sky.Samples[i].Aqi < 60).Select(i => UpperSky(sky.Render(i, size), size).Blueness).DefaultIfEmpty(0).Average();
        Console.WriteLine($"blueness: most blue negative {blueNeg:F3}, clean sky mean {cleanSky:F3}");
        Assert.True(blueNeg >= cleanSky * 0.8, $"blue negative {blueNeg:F3} vs clean sky {cleanSky:F3}");
    }

    /// <summary>IProgress that calls back synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
