using System.Security.Cryptography;
using ScratchNet.Apps.Datasets.Flowers;
using ScratchNet.Apps.Datasets.Sky;
using SkiaSharp;

namespace ScratchNet.Tests.Datasets;

/// <summary>The synthetic flower dataset (seed 001): files, determinism, balance, and labels that are in the pixels.</summary>
public sealed class FlowersDatasetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-flowers-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string name) => Path.Combine(_root, name);

    private static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(FlowersDatasetGenerator.ManifestFileName, StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    // ---------- files ----------

    [Fact]
    public void Generate_IsDeterministicForASeedWhateverTheThreadCount()
    {
        FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = Dir("a"), Count = 24, Size = 24, Seed = 5, MaxDegreeOfParallelism = 1 });
        FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = Dir("b"), Count = 24, Size = 24, Seed = 5, MaxDegreeOfParallelism = 3 });
        FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = Dir("c"), Count = 24, Size = 24, Seed = 6 });
        var a = Hashes(Dir("a"));
        Assert.Equal(25, a.Count); // 24 images + the CSV
        Assert.Equal(a, Hashes(Dir("b")));
        var c = Hashes(Dir("c"));
        Assert.Equal(0, a.Keys.Count(k => k.StartsWith("images", StringComparison.Ordinal) && a[k] == c[k]));
        Assert.Equal(File.ReadAllText(Path.Combine(Dir("a"), "dataset.json")).Replace(Dir("a"), ""),
                     File.ReadAllText(Path.Combine(Dir("b"), "dataset.json")).Replace(Dir("b"), ""));
    }

    [Fact]
    public void Generate_WritesABalancedShuffledCsvDecodableImagesAndTheManifestLast()
    {
        string dir = Dir("d");
        var reports = new List<int>();
        var result = FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = dir, Count = 130, Size = 20, Seed = 1 },
            new SyncProgress(v => { lock (reports) reports.Add(v); }));

        var lines = File.ReadAllLines(Path.Combine(dir, "flowers.csv"));
        Assert.Equal("image,type,colour", lines[0]);
        Assert.Equal(131, lines.Length);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal(3, r.Length));
        Assert.Equal(rows.Select((_, i) => $"images/{i:D5}.png"), rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.True(File.Exists(Path.Combine(dir, r[0]))));
        Assert.Equal(["daisy", "rose"], rows.Select(r => r[1]).Distinct().Order());
        Assert.Equal(["pink", "red", "white"], rows.Select(r => r[2]).Distinct().Order());

        // 130 = 6 × 21 + 4: every class has 21 or 22 rows; they are shuffled, not in class order.
        var counts = rows.GroupBy(r => r[1] + "/" + r[2]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, v => Assert.InRange(v, 21, 22));
        Assert.Equal(counts.OrderBy(kv => kv.Key), result.ClassCounts.OrderBy(kv => kv.Key));
        // Unshuffled, row i would hold class i mod 6 (daisy red, pink, white, rose red, pink, white); shuffled, about
        // one row in six does by chance. Types alternate between neighbouring rows about half the time.
        string[] order = ["daisy/red", "daisy/pink", "daisy/white", "rose/red", "rose/pink", "rose/white"];
        Assert.InRange(rows.Select((r, i) => r[1] + "/" + r[2] == order[i % 6]).Count(same => same), 5, 45);
        Assert.InRange(rows.Zip(rows.Skip(1)).Count(p => p.First[1] != p.Second[1]), 40, 90);

        foreach (var r in rows.Take(6))
        {
            using var bmp = SKBitmap.Decode(Path.Combine(dir, r[0]));
            Assert.Equal(20, bmp.Width);
            Assert.Equal(20, bmp.Height);
        }

        Assert.True(FlowersDatasetGenerator.IsComplete(dir));
        var manifestTime = File.GetLastWriteTimeUtc(Path.Combine(dir, "dataset.json"));
        Assert.True(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).All(f => File.GetLastWriteTimeUtc(f) <= manifestTime));
        Assert.False(File.Exists(Path.Combine(dir, "dataset.json.tmp")));
        var manifest = File.ReadAllText(Path.Combine(dir, "dataset.json"));
        Assert.Contains(FlowersDatasetGenerator.GeneratorVersion, manifest);
        Assert.Contains("\"rose/pink\"", manifest);
        Assert.Equal(130, reports.Max());
    }

    [Fact]
    public void Generate_FourColoursAsJpeg()
    {
        string dir = Dir("j");
        var result = FlowersDatasetGenerator.Generate(new FlowersDatasetOptions
        {
            OutDir = dir, Count = 16, Size = 16, ImageFormat = SkyImageFormat.Jpeg, Colours = FlowerLabels.AllColours,
        });
        Assert.Equal(8, result.ClassCounts.Count);
        Assert.All(result.ClassCounts.Values, v => Assert.Equal(2, v));
        var rows = File.ReadAllLines(Path.Combine(dir, "flowers.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Contains(rows, r => r[2] == "yellow");
        Assert.All(rows, r => Assert.EndsWith(".jpg", r[0]));
        using var bmp = SKBitmap.Decode(Path.Combine(dir, rows[0][0]));
        Assert.Equal(16, bmp.Width);
    }

    [Fact]
    public void Generate_AnInterruptedRunLeavesTheDirectoryIncomplete()
    {
        string dir = Dir("i");
        Assert.False(FlowersDatasetGenerator.IsComplete(dir));
        FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = dir, Count = 4, Size = 16 });
        Assert.True(FlowersDatasetGenerator.IsComplete(dir));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = dir, Count = 50, Size = 16 }, null, cts.Token));
        Assert.False(FlowersDatasetGenerator.IsComplete(dir)); // the old manifest went first
    }

    [Fact]
    public void Generate_RejectsBadOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = Dir("x"), Size = 8 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = Dir("x"), Count = -1 }));
        Assert.Throws<ArgumentException>(() => FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = Dir("x"), Colours = [] }));
        Assert.Throws<ArgumentException>(() => FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = Dir("x"), Colours = [FlowerColour.Red, FlowerColour.Red] }));
    }

    [Fact]
    public void Labels_RoundTripTheirCsvNames()
    {
        foreach (var t in FlowerLabels.Types) Assert.True(FlowerLabels.TryParseType(FlowerLabels.Name(t).ToUpperInvariant(), out var back) && back == t);
        foreach (var c in FlowerLabels.AllColours) Assert.True(FlowerLabels.TryParseColour(FlowerLabels.Name(c), out var back) && back == c);
        Assert.False(FlowerLabels.TryParseColour("blue", out _));
        Assert.Equal(["daisy", "rose"], FlowerLabels.Types.Select(FlowerLabels.Name));
        Assert.Equal(["red", "pink", "white"], FlowerLabels.SeedColours.Select(FlowerLabels.Name));
    }

    // ---------- the labels are in the pixels, but not trivially ----------

    [Fact]
    public void Renderer_CompositionDoesNotDependOnTheLabels()
    {
        var renderer = new FlowerRenderer(3);
        for (int i = 0; i < 8; i++)
        {
            var a = renderer.Render(i, FlowerType.Daisy, FlowerColour.Red, 16);
            var b = renderer.Render(i, FlowerType.Rose, FlowerColour.White, 16);
            Assert.Equal(a.Layout, b.Layout);
            Assert.NotEqual(a.Rgb, b.Rgb);
            Assert.Equal(a.Rgb, renderer.Render(i, FlowerType.Daisy, FlowerColour.Red, 16).Rgb);
        }
    }

    /// <summary>sRGB bytes → HSV (hue in degrees, saturation and value in [0, 1]).</summary>
    private static (double H, double S, double V) Hsv(double r, double g, double b)
    {
        double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), c = max - min;
        double h = c == 0 ? 0 : max == r ? 60 * ((g - b) / c % 6) : max == g ? 60 * ((b - r) / c + 2) : 60 * ((r - g) / c + 4);
        return ((h + 360) % 360, max > 0 ? c / max : 0, max / 255);
    }

    /// <summary>Mean sRGB colour of the petals, weighted by coverage⁴ so pixels half covered by background hardly count.</summary>
    private static (double R, double G, double B) PetalMean(FlowerImage img)
    {
        double r = 0, g = 0, b = 0, n = 0;
        for (int i = 0; i < img.Petal.Length; i++)
        {
            double w = Math.Pow(img.Petal[i], 4);
            r += w * img.Rgb[3 * i]; g += w * img.Rgb[3 * i + 1]; b += w * img.Rgb[3 * i + 2]; n += w;
        }
        return n == 0 ? (0, 0, 0) : (r / n, g / n, b / n);
    }

    [Fact]
    public void Colour_PetalSaturationSeparatesRedPinkWhite()
    {
        const int perColour = 48, size = 48;
        var renderer = new FlowerRenderer(11);
        FlowerColour[] colours = [FlowerColour.Red, FlowerColour.Pink, FlowerColour.White];
        var sat = new double[colours.Length, perColour];
        var hue = new double[colours.Length, perColour];
        Parallel.For(0, colours.Length * perColour, k =>
        {
            int c = k / perColour, i = k % perColour;
            var img = renderer.Render(k, (FlowerType)(i % 2), colours[c], size);
            var (r, g, b) = PetalMean(img);
            (hue[c, i], sat[c, i], _) = Hsv(r, g, b);
        });
        for (int c = 0; c < colours.Length; c++)
        {
            var s = Enumerable.Range(0, perColour).Select(i => sat[c, i]).Order().ToArray();
            Console.WriteLine($"{colours[c]}: petal saturation min {s[0]:F2} median {s[perColour / 2]:F2} max {s[^1]:F2}");
        }
        // Saturation ranks the colours: one threshold puts all but a few reds above the pinks, another all but a few
        // pinks above the whites. The few are real hard cases (a thin-petalled red daisy blurred into a pale backdrop).
        Assert.True(Overlap(sat, 0, 1, perColour) <= 3, $"red/pink overlap {Overlap(sat, 0, 1, perColour)}");
        Assert.True(Overlap(sat, 1, 2, perColour) <= 3, $"pink/white overlap {Overlap(sat, 1, 2, perColour)}");
        // Red and pink share the hue family (within 60° of red), so hue alone does not tell them apart.
        for (int c = 0; c < 2; c++)
        {
            int family = Enumerable.Range(0, perColour).Count(i => hue[c, i] > 300 || hue[c, i] < 40);
            Assert.True(family >= perColour - 2, $"{colours[c]}: only {family} of {perColour} petal hues near red");
        }
    }

    /// <summary>Bilinear sample of sRGB luminance (0–255) at a real-valued pixel position, clamped at the border.</summary>
    private static double Luma(byte[] rgb, int size, double x, double y)
    {
        x = Math.Clamp(x - 0.5, 0, size - 1.001); y = Math.Clamp(y - 0.5, 0, size - 1.001);
        int x0 = (int)x, y0 = (int)y;
        double fx = x - x0, fy = y - y0;
        double L(int xx, int yy) { int o = (yy * size + xx) * 3; return 0.299 * rgb[o] + 0.587 * rgb[o + 1] + 0.114 * rgb[o + 2]; }
        return (L(x0, y0) * (1 - fx) + L(x0 + 1, y0) * fx) * (1 - fy) + (L(x0, y0 + 1) * (1 - fx) + L(x0 + 1, y0 + 1) * fx) * fy;
    }

    /// <summary>
    /// A shape statistic that ignores colour: walk circles at 0.5–0.8 of the petal-tip radius in the main head's own
    /// plane (so tilt is undone) and take the share of the luminance profile's variation (its DFT power at 1–40 cycles
    /// per turn) that lies at 10 or more cycles. A daisy's 14–34 petals put their power there; a rose's 5–7 outer
    /// petals and its smooth cups put theirs lower.
    /// </summary>
    private static double RadialFlicker(FlowerImage img)
    {
        const int steps = 128;
        var pose = img.Layout.Main.Scaled(img.Size);
        double high = 0, all = 0;
        foreach (double rho in new[] { 0.5, 0.6, 0.7, 0.8 })
        {
            var profile = new double[steps];
            for (int k = 0; k < steps; k++)
            {
                double a = 2 * Math.PI * k / steps, lx = rho * Math.Cos(a), ly = rho * Math.Sin(a);
                // Forward pose map (local → image): spin, then squash across the tilt axis, then scale and move.
                double cs = Math.Cos(pose.Spin), sn = Math.Sin(pose.Spin);
                double px = cs * lx - sn * ly, py = sn * lx + cs * ly;
                double ca = Math.Cos(pose.TiltAxis), sa = Math.Sin(pose.TiltAxis);
                double u = ca * px + sa * py, v = (-sa * px + ca * py) * Math.Cos(pose.Tilt);
                profile[k] = Luma(img.Rgb, img.Size, pose.CenterX + pose.Radius * (ca * u - sa * v), pose.CenterY + pose.Radius * (sa * u + ca * v));
            }
            for (int f = 1; f <= 40; f++)
            {
                double re = 0, im = 0;
                for (int k = 0; k < steps; k++) { re += profile[k] * Math.Cos(2 * Math.PI * f * k / steps); im -= profile[k] * Math.Sin(2 * Math.PI * f * k / steps); }
                double power = re * re + im * im;
                all += power;
                if (f >= 10) high += power;
            }
        }
        return all > 0 ? high / all : 0;
    }

    /// <summary>Fraction of the pixels near the main head's centre (local radius &lt; 0.15) that are yellow-orange.</summary>
    private static double YellowCentre(FlowerImage img)
    {
        var pose = img.Layout.Main.Scaled(img.Size);
        int yellow = 0, all = 0;
        for (int y = 0; y < img.Size; y++)
            for (int x = 0; x < img.Size; x++)
            {
                var (lx, ly) = pose.ToLocal(x + 0.5, y + 0.5);
                if (lx * lx + ly * ly > 0.15 * 0.15) continue;
                int o = (y * img.Size + x) * 3;
                var (h, sat, val) = Hsv(img.Rgb[o], img.Rgb[o + 1], img.Rgb[o + 2]);
                all++;
                if (h is > 20 and < 70 && sat > 0.35 && val > 0.2) yellow++;
            }
        return all == 0 ? 0 : yellow / (double)all;
    }

    /// <summary>P(a random daisy's statistic exceeds a random rose's): 1 = perfect separation, 0.5 = none.</summary>
    private static double Auc(IReadOnlyList<double> daisies, IReadOnlyList<double> roses) =>
        daisies.Sum(d => roses.Sum(r => d > r ? 1.0 : d == r ? 0.5 : 0)) / (daisies.Count * (double)roses.Count);

    [Fact]
    public void Type_IsInTheShapeButNotInTheMeanColour()
    {
        const int perType = 96, size = 64;
        var renderer = new FlowerRenderer(21);
        var images = new FlowerImage[2 * perType];
        // Colours red, pink, white in turn for both types; every image has its own composition.
        Parallel.For(0, images.Length, k => images[k] = renderer.Render(k, (FlowerType)(k % 2), (FlowerColour)(k / 2 % 3), size));
        var daisies = images.Where(i => i.Type == FlowerType.Daisy).ToList();
        var roses = images.Where(i => i.Type == FlowerType.Rose).ToList();

        double flicker = Auc(daisies.Select(RadialFlicker).ToList(), roses.Select(RadialFlicker).ToList());
        double disc = Auc(daisies.Select(YellowCentre).ToList(), roses.Select(YellowCentre).ToList());

        // The mean colour of the whole image, one channel or hue at a time, with the best threshold in either direction.
        static (double R, double G, double B) Mean(FlowerImage img)
        {
            double r = 0, g = 0, b = 0;
            for (int i = 0; i < img.Size * img.Size; i++) { r += img.Rgb[3 * i]; g += img.Rgb[3 * i + 1]; b += img.Rgb[3 * i + 2]; }
            int n = img.Size * img.Size;
            return (r / n, g / n, b / n);
        }
        var means = images.Select(Mean).ToList();
        var features = new Func<(double R, double G, double B), double>[]
        {
            m => m.R, m => m.G, m => m.B, m => Hsv(m.R, m.G, m.B).S, m => m.R - m.B, m => m.G - (m.R + m.B) / 2,
        };
        double bestMean = features.Max(f =>
        {
            double a = Auc(daisies.Select(d => f(Mean(d))).ToList(), roses.Select(r => f(Mean(r))).ToList());
            return Math.Max(a, 1 - a);
        });
        double centroid = NearestCentroidAccuracy(means, images.Select(i => (int)i.Type).ToList());
        Console.WriteLine($"type: AUC radial flicker {flicker:F3}, yellow centre {disc:F3}; best mean-colour AUC {bestMean:F3}, nearest-centroid on mean RGB {centroid:F3}");

        Assert.True(flicker > 0.75, $"radial flicker AUC {flicker:F3}");
        Assert.True(disc > 0.75, $"yellow-centre AUC {disc:F3}");
        Assert.True(disc < 0.97, $"a yellow centre alone gives the type away: AUC {disc:F3}"); // open roses show yellow stamens
        Assert.True(bestMean < 0.75, $"the image's mean colour alone separates the types: AUC {bestMean:F3}");
        Assert.True(centroid < 0.75, $"nearest centroid on mean RGB: {centroid:F3}");
    }

    /// <summary>Held-out accuracy of a nearest-centroid classifier on standardised features (first half fits, second half tests).</summary>
    private static double NearestCentroidAccuracy(IReadOnlyList<(double R, double G, double B)> x, IReadOnlyList<int> y)
    {
        var rows = x.Select(v => new[] { v.R, v.G, v.B }).ToList();
        int half = rows.Count / 2, dims = 3;
        var mu = Enumerable.Range(0, dims).Select(d => rows.Take(half).Average(r => r[d])).ToArray();
        var sd = Enumerable.Range(0, dims).Select(d => Math.Sqrt(rows.Take(half).Average(r => (r[d] - mu[d]) * (r[d] - mu[d]))) + 1e-9).ToArray();
        var z = rows.Select(r => r.Select((v, d) => (v - mu[d]) / sd[d]).ToArray()).ToList();
        var classes = y.Distinct().ToList();
        var centroids = classes.ToDictionary(c => c, c => Enumerable.Range(0, dims)
            .Select(d => Enumerable.Range(0, half).Where(i => y[i] == c).Average(i => z[i][d])).ToArray());
        int correct = 0;
        for (int i = half; i < rows.Count; i++)
        {
            int guess = classes.MinBy(c => Enumerable.Range(0, dims).Sum(d => (z[i][d] - centroids[c][d]) * (z[i][d] - centroids[c][d])));
            if (guess == y[i]) correct++;
        }
        return correct / (double)(rows.Count - half);
    }

    /// <summary>The fewest samples on the wrong side of any single threshold between class <paramref name="hi"/> (expected above) and <paramref name="lo"/>.</summary>
    private static int Overlap(double[,] values, int hi, int lo, int n)
    {
        var high = Enumerable.Range(0, n).Select(i => values[hi, i]).ToArray();
        var low = Enumerable.Range(0, n).Select(i => values[lo, i]).ToArray();
        return high.Concat(low).Min(t => high.Count(v => v < t) + low.Count(v => v >= t));
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
