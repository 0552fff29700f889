using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// Writes the synthetic stand-in for the India/Nepal sky-photo AQI dataset plus its negatives.
/// </summary>
/// <remarks>
/// <para>Layout of <see cref="SkyDatasetOptions.OutDir"/>:</para>
/// <list type="bullet">
/// <item><c>sky/</c> — the sky photos, named <c>Station-07_2023-01-15-09.00-3.png</c> (station, timestamp, shot).</item>
/// <item><c>negatives/</c> — non-sky images (is_sky = 0, aqi = −1), as many as sky photos; not listed in the CSV, like
/// Flickr30k in the original project.</item>
/// <item><c>aqi.csv</c> — exactly the real header <c>Location,Filename,Year,Month,Day,Hour,AQI,PM2.5,PM10,O3,CO,SO2,NO2,AQI_Class</c>,
/// one row per sky photo, Filename relative to <c>sky/</c>, invariant-culture numbers, AQI_Class as the real labels
/// ("a_Good" … "f_Severe").</item>
/// <item><c>samples.csv</c> — the same images as one generic manifest (<c>image,is_sky,aqi,group</c>, negatives with a
/// blank AQI) for <c>scratchnet train --config examples/sky.yml</c>.</item>
/// <item><c>dataset.json</c> — how it was made (seed, counts, size, generator version) and how to use it
/// (<c>groupBy</c>: the columns Location, Year, Month, Day, Hour; split train/test by that key so the ~9
/// near-duplicate shots of one group never straddle the split).</item>
/// </list>
/// <para><b>Completeness protocol.</b> A run first deletes any old <c>dataset.json</c>, then writes images and the CSV,
/// and writes <c>dataset.json</c> last (to a temporary name, then renamed). A consumer must treat a directory without
/// <c>dataset.json</c> as incomplete (an interrupted or running generation) — see <see cref="IsComplete"/>.</para>
/// </remarks>
public static class SkyDatasetGenerator
{
    /// <summary>Version of the rendering recipe; bump when the pictures for a given seed change.</summary>
    public const string GeneratorVersion = "sky-synth/1.0";

    /// <summary>The real dataset's CSV header, which ours reproduces exactly.</summary>
    public const string CsvHeader = "Location,Filename,Year,Month,Day,Hour,AQI,PM2.5,PM10,O3,CO,SO2,NO2,AQI_Class";

    /// <summary>Name of the manifest, written last.</summary>
    public const string ManifestFileName = "dataset.json";

    /// <summary>Name of the CSV.</summary>
    public const string CsvFileName = "aqi.csv";

    /// <summary>The generic manifest for <c>train --config</c> (see <see cref="WriteSamplesCsv"/>).</summary>
    public const string SamplesFileName = "samples.csv";

    /// <summary>Folder of the sky photos inside the dataset directory.</summary>
    public const string SkyFolder = "sky";

    /// <summary>Folder of the negatives inside the dataset directory.</summary>
    public const string NegativesFolder = "negatives";

    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    /// <summary>True when <paramref name="dir"/> holds a finished dataset (its manifest exists; it is written last).</summary>
    public static bool IsComplete(string dir) => File.Exists(Path.Combine(dir, ManifestFileName));

    /// <summary>Generates the dataset. <paramref name="progress"/> receives the number of images finished (sky + negatives).</summary>
    public static SkyDatasetResult Generate(SkyDatasetOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Size, 16);
        if (options.JpegQuality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(options), "JpegQuality must be 1–100");
        var clock = Stopwatch.StartNew();

        string outDir = Path.GetFullPath(options.OutDir);
        Directory.CreateDirectory(outDir);
        // Invalidate first: from here until the manifest is rewritten, the directory reads as incomplete.
        File.Delete(Path.Combine(outDir, ManifestFileName));
        string skyDir = Path.Combine(outDir, SkyFolder), negDir = Path.Combine(outDir, NegativesFolder);
        foreach (var d in new[] { skyDir, negDir })
        {
            if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
            Directory.CreateDirectory(d);
        }

        string ext = options.ImageFormat == SkyImageFormat.Jpeg ? ".jpg" : ".png";
        int n = options.Count, size = options.Size;
        var sky = new SkyRenderer(options.Seed, n, ext);
        var neg = new NegativeRenderer(options.Seed);

        // Real negatives first (copied verbatim), procedural ones for the rest.
        var copied = new List<string>();
        if (!string.IsNullOrEmpty(options.NegativesFrom))
        {
            copied = Directory.EnumerateFiles(options.NegativesFrom)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).Take(n).ToList();
            foreach (var f in copied) File.Copy(f, Path.Combine(negDir, "real_" + Path.GetFileName(f)), overwrite: true);
        }
        int procedural = n - copied.Count;

        int done = copied.Count, hard = 0;
        progress?.Report(done);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1 };
        // One work list for both kinds so all cores stay busy; each item's pixels depend only on (seed, kind, index).
        Parallel.For(0, n + procedural, parallel, i =>
        {
            byte[] rgb;
            string path;
            if (i < n)
            {
                rgb = sky.Render(i, size);
                path = Path.Combine(skyDir, sky.Samples[i].Filename);
            }
            else
            {
                int k = i - n;
                rgb = neg.Render(k, size);
                if (NegativeRenderer.IsHard(neg.KindOf(k))) Interlocked.Increment(ref hard);
                path = Path.Combine(negDir, $"neg_{k:D6}{ext}");
            }
            File.WriteAllBytes(path, ImageCodec.Encode(rgb, size, size, options.ImageFormat, options.JpegQuality));
            int now = Interlocked.Increment(ref done);
            if (progress is not null && (now % 64 == 0 || now == 2 * n)) progress.Report(now);
        });

        WriteCsv(Path.Combine(outDir, CsvFileName), sky.Samples);
        WriteSamplesCsv(Path.Combine(outDir, SamplesFileName), sky.Samples, negDir);

        var manifest = new Dictionary<string, object?>
        {
            ["generator"] = GeneratorVersion,
            ["seed"] = options.Seed,
            ["count"] = n,
            ["negatives"] = n,
            ["copiedNegatives"] = copied.Count,
            ["negativesFrom"] = options.NegativesFrom,
            ["size"] = size,
            ["imageFormat"] = options.ImageFormat == SkyImageFormat.Jpeg ? "jpeg" : "png",
            ["jpegQuality"] = options.ImageFormat == SkyImageFormat.Jpeg ? options.JpegQuality : null,
            ["groups"] = sky.GroupCount,
            ["csv"] = CsvFileName,
            ["skyDir"] = SkyFolder,
            ["negativesDir"] = NegativesFolder,
            ["filenameColumn"] = "Filename",
            ["targetColumn"] = "AQI",
            ["groupBy"] = new[] { "Location", "Year", "Month", "Day", "Hour" },
            ["negativeAqi"] = -1,
            ["complete"] = true,
            ["note"] = "Synthetic stand-in for the India/Nepal sky-photo AQI dataset; split by groupBy, never by row. A directory without dataset.json is incomplete.",
        };
        string tmp = Path.Combine(outDir, ManifestFileName + ".tmp");
        File.WriteAllText(tmp, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(tmp, Path.Combine(outDir, ManifestFileName), overwrite: true);

        return new SkyDatasetResult(outDir, n, sky.GroupCount, n, copied.Count, hard, clock.Elapsed);
    }

    /// <summary>
    /// Writes the generic multi-task manifest <c>samples.csv</c> (<c>image,is_sky,aqi,group</c>) that
    /// <c>examples/sky.yml</c> trains from: every sky image (is_sky = sky, its AQI, its station/time group) and every
    /// negative (is_sky = not_sky, AQI blank: no AQI label, so it never counts toward the AQI loss or metrics).
    /// </summary>
    internal static void WriteSamplesCsv(string path, IReadOnlyList<SkySample> samples, string negativesDir)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("image,is_sky,aqi,group\n");
        static string Quote(string v) => ScratchNet.Nn.Data.CsvField.Quote(v);
        foreach (var s in samples)
            sb.Append(Quote($"{SkyFolder}/{s.Filename}")).Append(",sky,").Append(s.Aqi.ToString(ci)).Append(',').Append(Quote(s.GroupKey)).Append('\n');
        foreach (var f in Directory.GetFiles(negativesDir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            sb.Append(Quote($"{NegativesFolder}/{f}")).Append(",not_sky,,").Append(Quote("neg:" + f)).Append('\n');
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    /// <summary>Writes the CSV rows in the real dataset's column order with invariant-culture numbers.</summary>
    internal static void WriteCsv(string path, IReadOnlyList<SkySample> samples)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(CsvHeader).Append('\n');
        foreach (var s in samples)
        {
            sb.Append(s.Location).Append(',').Append(s.Filename).Append(',')
              .Append(s.Year.ToString(ci)).Append(',').Append(s.Month.ToString(ci)).Append(',')
              .Append(s.Day.ToString(ci)).Append(',').Append(s.Hour.ToString(ci)).Append(',')
              .Append(s.Aqi.ToString(ci)).Append(',').Append(s.Pm25.ToString("0.0", ci)).Append(',')
              .Append(s.Pm10.ToString("0.0", ci)).Append(',').Append(s.O3.ToString("0.0", ci)).Append(',')
              .Append(s.Co.ToString("0.00", ci)).Append(',').Append(s.So2.ToString("0.0", ci)).Append(',')
              .Append(s.No2.ToString("0.0", ci)).Append(',').Append(s.AqiClass).Append('\n');
        }
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }
}
