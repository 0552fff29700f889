using System.Text.Json;
using ScratchNet.Apps.Datasets.FashionMnist;
using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Nn.Data;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Datasets;

/// <summary>The Fashion-MNIST exporter on a tiny fake set (12 train + 6 test images with known pixels).</summary>
public sealed class FashionMnistExporterTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    [Fact]
    public void ClassesAndCategoriesFollowZalandosLabelOrder()
    {
        Assert.Equal(["t_shirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"], FashionMnistClasses.Names);
        string[] expected = ["tops", "bottoms", "tops", "dresses", "tops", "footwear", "tops", "footwear", "bags", "footwear"];
        Assert.Equal(expected, Enumerable.Range(0, 10).Select(FashionMnistClasses.CategoryOf));
        Assert.Equal(expected.Distinct().Order(), FashionMnistClasses.Categories.Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnistClasses.NameOf(10));
    }

    [Fact]
    public void ExportWritesGreyscalePngsThatRoundTripExactly()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx")), outDir = tmp.File("out");
        var result = FashionMnistExporter.Export(new FashionMnistExportOptions { OutDir = outDir, From = from });
        Assert.Equal((12, 6), (result.TrainImages, result.TestImages));
        Assert.Equal(12, Directory.GetFiles(Path.Combine(outDir, "train")).Length);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(outDir, "test")).Length);

        foreach (var (split, count, pixel) in new[] { ("train", 12, (Func<int, int, int, byte>)FakeFashionMnist.TrainPixel), ("test", 6, FakeFashionMnist.TestPixel) })
        {
            for (int i = 0; i < count; i++)
            {
                string png = Path.Combine(outDir, split, $"{i:D5}.png");
                var bytes = File.ReadAllBytes(png);
                Assert.Equal(0, bytes[25]); // IHDR colour type 0: a real greyscale PNG, not RGB
                Assert.Equal(8, bytes[24]); // 8-bit
                var (rgb, w, h) = ImageCodec.Decode(png);
                Assert.Equal((28, 28), (w, h));
                for (int y = 0; y < 28; y++)
                    for (int x = 0; x < 28; x++)
                    {
                        byte v = pixel(i, x, y);
                        Assert.True(TestImages.Px(rgb, w, x, y) == (v, v, v), $"{split} {i} pixel ({x},{y})");
                    }
            }
        }
    }

    [Fact]
    public void CsvListsEveryImageWithSplitClassAndCategory()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx")), outDir = tmp.File("out");
        FashionMnistExporter.Export(new FashionMnistExportOptions { OutDir = outDir, From = from });
        var lines = File.ReadAllLines(Path.Combine(outDir, "fashion.csv"));
        Assert.Equal("image,split,class,category", lines[0]);
        var expected = Enumerable.Range(0, 12).Select(i => Row("train", i, FakeFashionMnist.TrainLabel(i)))
            .Concat(Enumerable.Range(0, 6).Select(j => Row("test", j, FakeFashionMnist.TestLabel(j))));
        Assert.Equal(expected, lines.Skip(1));
        Assert.Equal("train/00008.png,train,bag,bags", lines[9]);
        Assert.All(lines.Skip(1), l => Assert.True(File.Exists(Path.Combine(outDir, l.Split(',')[0]))));

        static string Row(string split, int i, int label) =>
            $"{split}/{i:D5}.png,{split},{FashionMnistClasses.NameOf(label)},{FashionMnistClasses.CategoryOf(label)}";
    }

    [Fact]
    public void ManifestIsWrittenLastAndDescribesTheExport()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx")), outDir = tmp.Sub("out");
        File.WriteAllText(Path.Combine(outDir, "dataset.json"), "{ \"stale\": true }");
        Directory.CreateDirectory(Path.Combine(outDir, "train"));
        File.WriteAllText(Path.Combine(outDir, "train", "99999.png"), "left over from an older export");

        int last = 0;
        var gate = new Lock();
        FashionMnistExporter.Export(new FashionMnistExportOptions { OutDir = outDir, From = from }, new SyncProgress(n => { lock (gate) last = Math.Max(last, n); }));
        Assert.Equal(18, last);
        Assert.True(FashionMnistExporter.IsComplete(outDir));
        Assert.False(File.Exists(Path.Combine(outDir, "train", "99999.png")));

        var manifest = new FileInfo(Path.Combine(outDir, "dataset.json"));
        var others = Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).Where(f => f != manifest.FullName).ToList();
        Assert.Equal(19, others.Count); // 18 PNGs and the CSV, nothing else (no temp files)
        Assert.All(others, f => Assert.True(File.GetLastWriteTimeUtc(f) <= manifest.LastWriteTimeUtc, $"{f} written after the manifest"));

        using var json = JsonDocument.Parse(File.ReadAllText(manifest.FullName));
        var root = json.RootElement;
        Assert.Equal(12, root.GetProperty("counts").GetProperty("train").GetInt32());
        Assert.Equal(6, root.GetProperty("counts").GetProperty("test").GetInt32());
        Assert.Equal(4, root.GetProperty("sourceFiles").GetArrayLength());
        Assert.Contains("train-images-idx3-ubyte.gz", root.GetProperty("sourceFiles")[0].GetString());
        Assert.Equal("footwear", root.GetProperty("categories").GetProperty("ankle_boot").GetString());
        Assert.True(DateTime.TryParse(root.GetProperty("created").GetString(), out _));
        Assert.False(root.TryGetProperty("stale", out _));
    }

    [Fact]
    public void LimitExportsTheFirstNTrainAndNOverSixTestImages()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx")), outDir = tmp.File("out");
        var result = FashionMnistExporter.Export(new FashionMnistExportOptions { OutDir = outDir, From = from, Limit = 7, MaxDegreeOfParallelism = 1 });
        Assert.Equal((7, 1), (result.TrainImages, result.TestImages));
        Assert.Equal(9, File.ReadAllLines(Path.Combine(outDir, "fashion.csv")).Length);
        Assert.True(File.Exists(Path.Combine(outDir, "test", "00000.png")));
        Assert.False(File.Exists(Path.Combine(outDir, "test", "00001.png")));
    }

    [Fact]
    public void RefusesLabelsOutsideTheTenClassesAndImagesThatAreNot28By28()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx"));
        IdxBytes.Write(Path.Combine(from, "train-labels-idx1-ubyte"), IdxBytes.Make([12], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1]));
        var e = Assert.Throws<IdxFormatException>(() => FashionMnistExporter.Export(new FashionMnistExportOptions { OutDir = tmp.File("a"), From = from }));
        Assert.Contains("label 10 at index 10", e.Message);

        from = FakeFashionMnist.Write(tmp.Sub("idx2"));
        IdxBytes.Write(Path.Combine(from, "t10k-images-idx3-ubyte.gz"), IdxBytes.Make([6, 2, 2], new byte[24]), gzip: true);
        e = Assert.Throws<IdxFormatException>(() => FashionMnistExporter.Export(new FashionMnistExportOptions { OutDir = tmp.File("b"), From = from }));
        Assert.Contains("images are 2×2", e.Message);
        Assert.False(FashionMnistExporter.IsComplete(tmp.File("b")));
    }

    [Fact]
    public void MissingFilesAreNamedWithInstallInstructions()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx"));
        File.Delete(Path.Combine(from, "t10k-labels-idx1-ubyte.gz"));
        var e = Assert.Throws<FashionMnistMissingException>(() => FashionMnistExporter.Export(new FashionMnistExportOptions { OutDir = tmp.File("out"), From = from }));
        Assert.Equal(["t10k-labels-idx1-ubyte.gz"], e.Missing);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("--from", e.Message);
    }

    /// <summary>Reports on the worker thread (System.Progress would post to the thread pool, racing the asserts).</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
