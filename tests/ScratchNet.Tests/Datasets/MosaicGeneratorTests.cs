using System.Security.Cryptography;
using ScratchNet.Apps.Datasets.FashionMnist;
using ScratchNet.Apps.Datasets.Mosaic;
using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Datasets;

/// <summary>
/// The mosaic generator on the tiny fake Fashion-MNIST. Each cell of a decoded mosaic is identified back to the exact
/// item (and split) it came from, so the CSV's tags, count and 0/1 columns are checked against the pixels themselves.
/// </summary>
public sealed class MosaicGeneratorTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    private static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != MosaicGenerator.ManifestFileName)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void IsDeterministicForASeedWhateverTheThreadCount()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx"));
        string a = tmp.File("a"), b = tmp.File("b"), c = tmp.File("c"), prefix = tmp.File("prefix");
        MosaicGenerator.Generate(new MosaicOptions { OutDir = a, From = from, Count = 40, TestCount = 10, Seed = 3, MaxDegreeOfParallelism = 1 });
        MosaicGenerator.Generate(new MosaicOptions { OutDir = b, From = from, Count = 40, TestCount = 10, Seed = 3 });
        MosaicGenerator.Generate(new MosaicOptions { OutDir = c, From = from, Count = 40, TestCount = 10, Seed = 4 });
        MosaicGenerator.Generate(new MosaicOptions { OutDir = prefix, From = from, Count = 5, TestCount = 2, Seed = 3 });
        var ha = Hashes(a);
        Assert.Equal(51, ha.Count);
        Assert.Equal(ha, Hashes(b));
        Assert.NotEqual(ha[MosaicGenerator.CsvFileName], Hashes(c)[MosaicGenerator.CsvFileName]);
        // A mosaic depends only on (seed, split, index): a smaller run is the start of a larger one.
        foreach (var (file, hash) in Hashes(prefix).Where(kv => kv.Key.EndsWith(".png", StringComparison.Ordinal)))
            Assert.Equal(ha[file], hash);
    }

    [Fact]
    public void CsvAgreesWithThePixelsAndTestMosaicsUseOnlyTestItems()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx")), outDir = tmp.File("out");
        var result = MosaicGenerator.Generate(new MosaicOptions { OutDir = outDir, From = from, Count = 300, TestCount = 100, Seed = 11 });
        Assert.True(MosaicGenerator.IsComplete(outDir));
        var lines = File.ReadAllLines(Path.Combine(outDir, "mosaic.csv"));
        Assert.Equal("image,split,tags,count,t_shirt_top,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle_boot", lines[0]);
        Assert.Equal(401, lines.Length);

        var countHistogram = new int[5];
        var cellUse = new int[4];
        long items = 0;
        for (int row = 1; row < lines.Length; row++)
        {
            var f = lines[row].Split(',');
            Assert.Equal(14, f.Length);
            string split = row <= 300 ? "train" : "test";
            int index = row <= 300 ? row - 1 : row - 301;
            Assert.Equal($"{split}/{index:D5}.png", f[0]);
            Assert.Equal(split, f[1]);

            var (rgb, w, h) = ImageCodec.Decode(Path.Combine(outDir, f[0]));
            Assert.Equal((56, 56), (w, h));
            var labels = new List<int>();
            for (int cell = 0; cell < 4; cell++)
            {
                int? label = IdentifyCell(rgb, cell, split, $"{f[0]} cell {cell}");
                if (label is null) continue;
                labels.Add(label.Value);
                cellUse[cell]++;
            }

            int count = int.Parse(f[3]);
            Assert.Equal(labels.Count, count);
            var present = labels.Distinct().Order().ToList();
            Assert.Equal(present.Count == 0 ? "none" : string.Join('|', present.Select(FashionMnistClasses.NameOf)), f[2]);
            Assert.Equal(Enumerable.Range(0, 10).Select(k => present.Contains(k) ? "1" : "0"), f[4..]);
            countHistogram[count]++;
            items += count;
        }
        Assert.Equal(items, result.Items);
        // Uniform 0–4 items: 80 expected of each among 400 (σ ≈ 8); every cell used about equally often.
        Assert.All(countHistogram, n => Assert.InRange(n, 45, 120));
        Assert.All(cellUse, n => Assert.InRange(n, 150, 250));
    }

    /// <summary>
    /// The label of the item in <paramref name="cell"/> of a decoded mosaic, or null for a black cell. Fails unless
    /// the cell is exactly one item of <paramref name="split"/>'s own set (test pixels are 150–249, train pixels 1–100).
    /// </summary>
    private static int? IdentifyCell(byte[] rgb, int cell, string split, string what)
    {
        const int s = FakeFashionMnist.Size;
        int top = cell / 2 * s, left = cell % 2 * s;
        var px = new byte[s * s];
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++)
                px[y * s + x] = rgb[3 * ((top + y) * 2 * s + left + x)];
        if (px.All(v => v == 0)) return null;

        bool fromTest = px[0] >= 150;
        Assert.True(fromTest == (split == "test"), $"{what}: a {(fromTest ? "test" : "train")} item in a {split} mosaic");
        int n = fromTest ? 6 : 12;
        for (int i = 0; i < n; i++)
            if (FakeFashionMnist.Image(i, fromTest ? FakeFashionMnist.TestPixel : FakeFashionMnist.TrainPixel).AsSpan().SequenceEqual(px))
                return fromTest ? FakeFashionMnist.TestLabel(i) : FakeFashionMnist.TrainLabel(i);
        Assert.Fail($"{what} is not an intact Fashion-MNIST item");
        return null;
    }

    [Fact]
    public void ManifestIsWrittenLastAndAnEmptyTestSplitIsAllowed()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx")), outDir = tmp.Sub("out");
        File.WriteAllText(Path.Combine(outDir, "dataset.json"), "stale");
        var result = MosaicGenerator.Generate(new MosaicOptions { OutDir = outDir, From = from, Count = 8, TestCount = 0, Seed = 1 });
        Assert.Equal((8, 0), (result.TrainMosaics, result.TestMosaics));
        Assert.Empty(Directory.GetFiles(Path.Combine(outDir, "test")));
        var manifest = new FileInfo(Path.Combine(outDir, "dataset.json"));
        Assert.Contains("\"seed\": 1", File.ReadAllText(manifest.FullName));
        Assert.Contains(MosaicGenerator.GeneratorVersion, File.ReadAllText(manifest.FullName));
        Assert.All(Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).Where(f => f != manifest.FullName),
            f => Assert.True(File.GetLastWriteTimeUtc(f) <= manifest.LastWriteTimeUtc, $"{f} written after the manifest"));
    }

    [Fact]
    public void MissingFilesStopBeforeTouchingTheOutput()
    {
        string outDir = tmp.Sub("out");
        File.WriteAllText(Path.Combine(outDir, "dataset.json"), "{}");
        var e = Assert.Throws<FashionMnistMissingException>(() => MosaicGenerator.Generate(new MosaicOptions { OutDir = outDir, From = tmp.Sub("empty") }));
        Assert.Equal(4, e.Missing.Count);
        Assert.True(MosaicGenerator.IsComplete(outDir)); // an earlier, finished dataset is left alone
    }
}
