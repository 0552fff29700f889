using System.Diagnostics;
using System.Text.Json;
using ScratchNet.Apps.Datasets.FashionMnist;
using ScratchNet.Nn;
using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Datasets.Mosaic;

/// <summary>
/// Builds the multi-label Fashion-MNIST mosaic dataset: 56×56 greyscale images, each a 2×2 grid of 28×28 cells
/// holding 0–4 Fashion-MNIST items, labelled with the set of classes present.
/// </summary>
/// <remarks>
/// <para>Layout of <see cref="MosaicOptions.OutDir"/>:</para>
/// <list type="bullet">
/// <item><c>train/00000.png</c> … — <see cref="MosaicOptions.Count"/> mosaics whose items all come from the official
/// training set (take the validation split from these).</item>
/// <item><c>test/00000.png</c> … — <see cref="MosaicOptions.TestCount"/> mosaics whose items all come from the official
/// test set, so no test item is ever seen in training.</item>
/// <item><c>mosaic.csv</c> — see <see cref="CsvHeader"/>: <c>image,split,tags,count,</c> + one 0/1 column per class.</item>
/// <item><c>dataset.json</c> — seed, counts, source files, classes, date; written last.</item>
/// </list>
/// <para>Everything but the manifest's date is a deterministic function of the seed, the counts and the source
/// files, whatever the thread count (see <see cref="MosaicPlanner"/>). Completeness protocol as for the other
/// datasets: a folder without <c>dataset.json</c> is incomplete — see <see cref="IsComplete"/>.</para>
/// </remarks>
public static class MosaicGenerator
{
    /// <summary>Version of the mosaic recipe; bump when the output for a given seed changes.</summary>
    public const string GeneratorVersion = "fashion-mosaic/1.0";

    /// <summary>Name of the CSV.</summary>
    public const string CsvFileName = "mosaic.csv";

    /// <summary>Name of the manifest, written last.</summary>
    public const string ManifestFileName = "dataset.json";

    /// <summary>Mosaic side in pixels: two 28-pixel cells.</summary>
    public const int ImageSize = 2 * FashionMnistSet.ImageSize;

    /// <summary>The CSV header: <c>image,split,tags,count,t_shirt_top,trouser,…,ankle_boot</c>.</summary>
    public static string CsvHeader => MosaicCsv.Header;

    /// <summary>True when <paramref name="dir"/> holds a finished dataset (its manifest exists; it is written last).</summary>
    public static bool IsComplete(string dir) => File.Exists(Path.Combine(dir, ManifestFileName));

    /// <summary>
    /// Reads Fashion-MNIST from <see cref="MosaicOptions.From"/> and writes the mosaics.
    /// <paramref name="progress"/> receives the number of mosaics written so far (train and test together).
    /// </summary>
    /// <exception cref="FashionMnistMissingException">An IDX file is missing (the message says how to install them).</exception>
    /// <exception cref="IdxFormatException">An IDX file is malformed.</exception>
    public static MosaicResult Generate(MosaicOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TestCount);
        var clock = Stopwatch.StartNew();
        var set = FashionMnistSet.Load(options.From);
        IdxImageSet SetOf(string split) => split == "train" ? set.Train : set.Test;

        string outDir = Path.GetFullPath(options.OutDir);
        Directory.CreateDirectory(outDir);
        // Invalidate first: until the manifest is rewritten, the directory reads as incomplete.
        File.Delete(Path.Combine(outDir, ManifestFileName));

        var rows = new List<(MosaicSample Sample, string Image)>(options.Count + options.TestCount);
        foreach (var (split, count) in new[] { ("train", options.Count), ("test", options.TestCount) })
        {
            string folder = Path.Combine(outDir, split);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.CreateDirectory(folder);
            int digits = Math.Max(5, (count - 1).ToString().Length);
            for (int i = 0; i < count; i++)
                rows.Add((MosaicPlanner.Plan(options.Seed, split, i, SetOf(split).Count), $"{split}/{i.ToString().PadLeft(digits, '0')}.png"));
        }

        int done = 0;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1 };
        Parallel.For(0, rows.Count, parallel, i =>
        {
            var (sample, image) = rows[i];
            var pixels = MosaicComposer.Compose(sample, SetOf(sample.Split));
            File.WriteAllBytes(Path.Combine(outDir, image), GreyPng.Encode(pixels, ImageSize, ImageSize));
            int now = Interlocked.Increment(ref done);
            if (progress is not null && (now % 1024 == 0 || now == rows.Count)) progress.Report(now);
        });

        MosaicCsv.Write(Path.Combine(outDir, CsvFileName), rows, SetOf);
        long items = rows.Sum(r => (long)r.Sample.ItemCount);
        WriteManifest(outDir, options, set.Files, items);
        return new MosaicResult(outDir, options.Count, options.TestCount, items, clock.Elapsed);
    }

    private static void WriteManifest(string outDir, MosaicOptions options, FashionMnistFiles files, long items)
    {
        var manifest = new Dictionary<string, object?>
        {
            ["generator"] = GeneratorVersion,
            ["seed"] = options.Seed,
            ["counts"] = new Dictionary<string, int> { ["train"] = options.Count, ["test"] = options.TestCount },
            ["items"] = items,
            ["source"] = "Fashion-MNIST (Zalando Research), https://github.com/zalandoresearch/fashion-mnist",
            ["sourceFiles"] = files.All.Select(Path.GetFullPath).ToArray(),
            ["created"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["imageSize"] = new[] { ImageSize, ImageSize },
            ["channels"] = 1,
            ["grid"] = new[] { 2, 2 },
            ["cellSize"] = new[] { FashionMnistSet.ImageSize, FashionMnistSet.ImageSize },
            ["itemsPerImage"] = "uniform 0-4, cells chosen uniformly, items drawn with replacement",
            ["csv"] = CsvFileName,
            ["imageColumn"] = "image",
            ["splitColumn"] = "split",
            ["tagsColumn"] = "tags",
            ["emptyTags"] = MosaicCsv.NoTags,
            ["countColumn"] = "count",
            ["classes"] = FashionMnistClasses.Names,
            ["complete"] = true,
            ["note"] = "Multi-label: one 0/1 column per class. train mosaics use only official training items, test mosaics only official test items; take validation from train. A directory without dataset.json is incomplete.",
        };
        AtomicFile.WriteAllBytes(Path.Combine(outDir, ManifestFileName), JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true }));
    }
}
