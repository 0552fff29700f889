using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// Writes the synthetic stand-in for seed 001's scraped flower photos: procedural daisies and roses in red, pink and
/// white (optionally yellow), each image labelled with its type and colour.
/// </summary>
/// <remarks>
/// <para>Layout of <see cref="FlowersDatasetOptions.OutDir"/>:</para>
/// <list type="bullet">
/// <item><c>images/00000.png</c> … — the pictures (<c>.jpg</c> for JPEG), numbered in CSV order.</item>
/// <item><c>flowers.csv</c> — header <c>image,type,colour</c>; image relative to the dataset directory
/// (<c>images/00000.png</c>), type <c>daisy|rose</c>, colour <c>red|pink|white|yellow</c>. Every (type, colour) class
/// has the same number of rows (±1), in shuffled order.</item>
/// <item><c>dataset.json</c> — how it was made (generator version, seed, count, size, format, label values, class
/// counts). Images are independent (no near-duplicate groups), so any random split is valid.</item>
/// </list>
/// <para><b>Completeness protocol.</b> A run first deletes any old <c>dataset.json</c>, then writes images and the CSV,
/// and writes <c>dataset.json</c> last (to a temporary name, then renamed). A directory without it is incomplete —
/// see <see cref="IsComplete"/>.</para>
/// <para><b>Determinism.</b> Image i is a function of (seed, i, its label, size) only (<see cref="FlowerRenderer"/>),
/// so the bytes are identical for a seed whatever the number of threads.</para>
/// </remarks>
public static class FlowersDatasetGenerator
{
    /// <summary>Version of the rendering recipe; bump when the pictures for a given seed change.</summary>
    public const string GeneratorVersion = "flowers-synth/1.0";

    /// <summary>The CSV header.</summary>
    public const string CsvHeader = "image,type,colour";

    /// <summary>Name of the CSV.</summary>
    public const string CsvFileName = "flowers.csv";

    /// <summary>Name of the manifest, written last.</summary>
    public const string ManifestFileName = "dataset.json";

    /// <summary>Folder of the images inside the dataset directory.</summary>
    public const string ImagesFolder = "images";

    /// <summary>True when <paramref name="dir"/> holds a finished dataset (its manifest exists; it is written last).</summary>
    public static bool IsComplete(string dir) => File.Exists(Path.Combine(dir, ManifestFileName));

    /// <summary>Generates the dataset. <paramref name="progress"/> receives the number of images finished.</summary>
    public static FlowersDatasetResult Generate(FlowersDatasetOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Size, 16);
        if (options.JpegQuality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(options), "JpegQuality must be 1–100");
        if (options.Colours.Count == 0 || options.Colours.Distinct().Count() != options.Colours.Count)
            throw new ArgumentException("Colours must be a non-empty list without repeats", nameof(options));
        var clock = Stopwatch.StartNew();

        string outDir = Path.GetFullPath(options.OutDir);
        Directory.CreateDirectory(outDir);
        // Invalidate first: from here until the manifest is rewritten, the directory reads as incomplete.
        File.Delete(Path.Combine(outDir, ManifestFileName));
        string imageDir = Path.Combine(outDir, ImagesFolder);
        if (Directory.Exists(imageDir)) Directory.Delete(imageDir, recursive: true);
        Directory.CreateDirectory(imageDir);

        int n = options.Count, size = options.Size;
        string ext = options.ImageFormat == SkyImageFormat.Jpeg ? ".jpg" : ".png";
        int digits = Math.Max(5, (n - 1).ToString(CultureInfo.InvariantCulture).Length);
        var labels = FlowerLabelPlan.Balanced(options.Seed, n, options.Colours);
        var names = Enumerable.Range(0, n).Select(i => ImagesFolder + "/" + i.ToString("D" + digits, CultureInfo.InvariantCulture) + ext).ToArray();
        var renderer = new FlowerRenderer(options.Seed);

        int done = 0;
        progress?.Report(0);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1 };
        Parallel.For(0, n, parallel, i =>
        {
            var image = renderer.Render(i, labels[i].Type, labels[i].Colour, size);
            File.WriteAllBytes(Path.Combine(outDir, names[i]), ImageCodec.Encode(image.Rgb, size, size, options.ImageFormat, options.JpegQuality));
            int now = Interlocked.Increment(ref done);
            if (progress is not null && (now % 64 == 0 || now == n)) progress.Report(now);
        });

        var csv = new StringBuilder(CsvHeader).Append('\n');
        for (int i = 0; i < n; i++)
            csv.Append(names[i]).Append(',').Append(FlowerLabels.Name(labels[i].Type)).Append(',').Append(FlowerLabels.Name(labels[i].Colour)).Append('\n');
        File.WriteAllText(Path.Combine(outDir, CsvFileName), csv.ToString(), new UTF8Encoding(false));

        var counts = FlowerLabelPlan.Classes(options.Colours).ToDictionary(
            c => FlowerLabelPlan.Key(c.Type, c.Colour), c => labels.Count(l => l == c));
        WriteManifest(outDir, options, counts);
        return new FlowersDatasetResult(outDir, n, counts, clock.Elapsed);
    }

    private static void WriteManifest(string outDir, FlowersDatasetOptions options, Dictionary<string, int> counts)
    {
        var manifest = new Dictionary<string, object?>
        {
            ["generator"] = GeneratorVersion,
            ["seed"] = options.Seed,
            ["count"] = options.Count,
            ["size"] = options.Size,
            ["imageFormat"] = options.ImageFormat == SkyImageFormat.Jpeg ? "jpeg" : "png",
            ["jpegQuality"] = options.ImageFormat == SkyImageFormat.Jpeg ? options.JpegQuality : null,
            ["csv"] = CsvFileName,
            ["imagesDir"] = ImagesFolder,
            ["imageColumn"] = "image",
            ["labelColumns"] = new[] { "type", "colour" },
            ["types"] = FlowerLabels.Types.Select(FlowerLabels.Name).ToArray(),
            ["colours"] = options.Colours.Select(FlowerLabels.Name).ToArray(),
            ["classCounts"] = counts,
            ["complete"] = true,
            ["note"] = "Synthetic stand-in for the scraped rose/daisy photos of seed 001. Image paths are relative to this directory; images are independent, so any random split is valid. A directory without dataset.json is incomplete.",
        };
        string tmp = Path.Combine(outDir, ManifestFileName + ".tmp");
        File.WriteAllText(tmp, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(tmp, Path.Combine(outDir, ManifestFileName), overwrite: true);
    }
}
