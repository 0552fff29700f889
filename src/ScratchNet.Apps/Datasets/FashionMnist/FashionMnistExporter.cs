using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ScratchNet.Nn;
using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Datasets.FashionMnist;

/// <summary>
/// Exports Fashion-MNIST from its IDX files to a folder of PNGs plus a CSV, the layout the rest of ScratchNet reads.
/// </summary>
/// <remarks>
/// <para>Layout of <see cref="FashionMnistExportOptions.OutDir"/>:</para>
/// <list type="bullet">
/// <item><c>train/00000.png</c> … — the official training images, 28×28 greyscale PNGs, named by their index in the IDX file.</item>
/// <item><c>test/00000.png</c> … — the official test images.</item>
/// <item><c>fashion.csv</c> — header <c>image,split,class,category</c>; one row per image, train rows first, in index
/// order: image path relative to the folder, <c>train</c> or <c>test</c>, the snake_case class name and its garment
/// category (<see cref="FashionMnistClasses"/>).</item>
/// <item><c>dataset.json</c> — source files, counts, classes, date; written last.</item>
/// </list>
/// <para><b>Completeness protocol</b> (as for the sky dataset): an old <c>dataset.json</c> is deleted first and the
/// new one written last, atomically, so a folder without it is incomplete — see <see cref="IsComplete"/>.</para>
/// </remarks>
public static class FashionMnistExporter
{
    /// <summary>Version of the export layout; bump when the files written change.</summary>
    public const string ExporterVersion = "fashion-mnist-export/1.0";

    /// <summary>The CSV header.</summary>
    public const string CsvHeader = "image,split,class,category";

    /// <summary>Name of the CSV.</summary>
    public const string CsvFileName = "fashion.csv";

    /// <summary>Name of the manifest, written last.</summary>
    public const string ManifestFileName = "dataset.json";

    /// <summary>True when <paramref name="dir"/> holds a finished export (its manifest exists; it is written last).</summary>
    public static bool IsComplete(string dir) => File.Exists(Path.Combine(dir, ManifestFileName));

    /// <summary>
    /// Reads the IDX files in <see cref="FashionMnistExportOptions.From"/> and writes the export.
    /// <paramref name="progress"/> receives the number of PNGs written so far (train and test together).
    /// </summary>
    /// <exception cref="FashionMnistMissingException">An IDX file is missing (the message says how to install them).</exception>
    /// <exception cref="IdxFormatException">An IDX file is malformed.</exception>
    public static FashionMnistExportResult Export(FashionMnistExportOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Limit is < 1) throw new ArgumentOutOfRangeException(nameof(options), "Limit must be at least 1");
        var clock = Stopwatch.StartNew();
        var set = FashionMnistSet.Load(options.From);
        int trainCount = Math.Min(set.Train.Count, options.Limit ?? int.MaxValue);
        int testCount = Math.Min(set.Test.Count, options.Limit is int limit ? limit / 6 : int.MaxValue);

        string outDir = Path.GetFullPath(options.OutDir);
        Directory.CreateDirectory(outDir);
        // Invalidate first: until the manifest is rewritten, the directory reads as incomplete.
        File.Delete(Path.Combine(outDir, ManifestFileName));
        var splits = new[] { new Split("train", set.Train, trainCount), new Split("test", set.Test, testCount) };
        foreach (var s in splits) RecreateFolder(Path.Combine(outDir, s.Name));

        int total = trainCount + testCount, done = 0;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1 };
        // One flat index over both splits keeps every core busy to the end; each PNG depends only on its own pixels.
        Parallel.For(0, total, parallel, i =>
        {
            var (split, index) = i < trainCount ? (splits[0], i) : (splits[1], i - trainCount);
            var png = GreyPng.Encode(split.Images.Pixels(index), split.Images.Cols, split.Images.Rows);
            File.WriteAllBytes(Path.Combine(outDir, split.RelativePath(index)), png);
            int now = Interlocked.Increment(ref done);
            if (progress is not null && (now % 1024 == 0 || now == total)) progress.Report(now);
        });

        WriteCsv(Path.Combine(outDir, CsvFileName), splits);
        WriteManifest(outDir, set.Files, trainCount, testCount, options.Limit);
        return new FashionMnistExportResult(outDir, trainCount, testCount, clock.Elapsed);
    }

    /// <summary>One split to export: its name (also its folder and CSV value), its images, how many to write.</summary>
    private sealed record Split(string Name, IdxImageSet Images, int Count)
    {
        public string RelativePath(int index) => $"{Name}/{index:D5}.png";
    }

    private static void RecreateFolder(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
    }

    private static void WriteCsv(string path, IEnumerable<Split> splits)
    {
        var sb = new StringBuilder();
        sb.Append(CsvHeader).Append('\n');
        foreach (var s in splits)
        {
            for (int i = 0; i < s.Count; i++)
            {
                int label = s.Images.Label(i);
                sb.Append(s.RelativePath(i)).Append(',').Append(s.Name).Append(',')
                  .Append(FashionMnistClasses.NameOf(label)).Append(',').Append(FashionMnistClasses.CategoryOf(label)).Append('\n');
            }
        }
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    private static void WriteManifest(string outDir, FashionMnistFiles files, int train, int test, int? limit)
    {
        var manifest = new Dictionary<string, object?>
        {
            ["exporter"] = ExporterVersion,
            ["source"] = "Fashion-MNIST (Zalando Research), https://github.com/zalandoresearch/fashion-mnist",
            ["sourceFiles"] = files.All.Select(Path.GetFullPath).ToArray(),
            ["created"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["counts"] = new Dictionary<string, int> { ["train"] = train, ["test"] = test },
            ["limit"] = limit,
            ["imageSize"] = new[] { FashionMnistSet.ImageSize, FashionMnistSet.ImageSize },
            ["channels"] = 1,
            ["csv"] = CsvFileName,
            ["imageColumn"] = "image",
            ["splitColumn"] = "split",
            ["targetColumn"] = "class",
            ["classes"] = FashionMnistClasses.Names,
            ["categories"] = Enumerable.Range(0, FashionMnistClasses.Count).ToDictionary(FashionMnistClasses.NameOf, FashionMnistClasses.CategoryOf),
            ["complete"] = true,
            ["note"] = "train = the official 60k training set, test = the official 10k test set; take validation from train. A directory without dataset.json is incomplete.",
        };
        AtomicFile.WriteAllBytes(Path.Combine(outDir, ManifestFileName), JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true }));
    }
}
