using System.Globalization;
using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// Builds the samples of seed 000's sky/AQI task: sky photos listed in a CSV in the original dataset's layout
/// (<c>Location,Filename,Year,Month,Day,Hour,AQI,…</c>; only <c>Filename</c> and <c>AQI</c> are required) get
/// targets <c>[is_sky = 1, aqi]</c>; every image file in an optional negatives folder gets <c>[0, −1]</c>, the
/// value the seed's masked MSE teaches the regressor for non-sky photos.
/// </summary>
/// <remarks>
/// About nine photos share a station and an hour, and with it one AQI; a random row split would put near-duplicates
/// on both sides of the validation line. So the group key is <c>Location|Year|Month|Day|Hour</c> when those columns
/// exist (the file name otherwise), and <see cref="DatasetSplitter"/> keeps each group in one split. Each negative
/// is its own group. Bad rows are skipped and listed (or, in strict mode, the first one throws); a missing required
/// column or an unreadable folder is always fatal.
/// </remarks>
public static class SkyAqiManifest
{
    /// <summary>The targets: slot 0 <c>is_sky</c> (1 sky, 0 negative), slot 1 <c>aqi</c> (−1 for negatives).</summary>
    public static SampleSchema Schema { get; } = new(["is_sky", "aqi"]);

    /// <summary>The AQI assigned to negatives, as in the seed.</summary>
    public const double NegativeAqi = -1;

    /// <summary>True when <paramref name="csvPath"/>'s header has seed 000's <c>Filename</c> and <c>AQI</c> columns.</summary>
    public static bool IsSeedLayout(string csvPath)
    {
        using var reader = new StreamReader(csvPath);
        var header = (reader.ReadLine() ?? "").Split(',').Select(h => h.Trim().Trim('"')).ToHashSet(StringComparer.Ordinal);
        return header.Contains("Filename") && header.Contains("AQI");
    }

    private static readonly string[] GroupColumns = ["Location", "Year", "Month", "Day", "Hour"];

    /// <summary>
    /// Reads <paramref name="csvPath"/> (image files resolved against <paramref name="imagesDir"/>) and, when given,
    /// every image file under <paramref name="negativesDir"/> (recursively, sorted by path for determinism).
    /// </summary>
    /// <exception cref="ManifestException">A required column is missing, a folder or the CSV cannot be read, or
    /// (strict mode) a row is bad.</exception>
    /// <exception cref="CsvFormatException">The CSV is malformed (unclosed quote, …).</exception>
    public static SampleManifest Load(string csvPath, string imagesDir, string? negativesDir = null, SkyAqiManifestOptions? options = null)
    {
        options ??= new SkyAqiManifestOptions();
        if (!File.Exists(csvPath))
            throw new ManifestException($"CSV file '{csvPath}' does not exist");
        CheckDirectory(imagesDir, "images");
        if (negativesDir is not null)
            CheckDirectory(negativesDir, "negatives");

        var table = CsvTable.Load(csvPath, allowRaggedRows: true);
        var missing = new[] { "Filename", "AQI" }.Where(c => !table.HasColumn(c)).ToArray();
        if (missing.Length > 0)
            throw new ManifestException($"{csvPath}: required column(s) {string.Join(", ", missing)} missing; columns found: {string.Join(", ", table.Header)}");
        int fileCol = table.ColumnIndex("Filename"), aqiCol = table.ColumnIndex("AQI");
        int[]? groupCols = GroupColumns.All(table.HasColumn) ? GroupColumns.Select(table.ColumnIndex).ToArray() : null;

        var samples = new List<Sample>();
        var skipped = new List<SkippedRow>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        void Bad(string file, int line, string reason)
        {
            var row = new SkippedRow(file, line, reason);
            if (options.Strict)
                throw new ManifestException(row.ToString());
            skipped.Add(row);
        }

        for (int r = 0; r < table.RowCount; r++)
        {
            int line = table.LineOf(r);
            int fields = table.FieldCount(r);
            if (fields != table.Header.Count)
            {
                Bad(csvPath, line, $"row has {fields} fields but the header has {table.Header.Count}");
                continue;
            }
            string fileName = table[r, fileCol].Trim();
            string aqiText = table[r, aqiCol].Trim();
            if (fileName.Length == 0)
            {
                Bad(csvPath, line, "empty Filename");
                continue;
            }
            if (!double.TryParse(aqiText, NumberStyles.Float, CultureInfo.InvariantCulture, out double aqi) || double.IsInfinity(aqi))
            {
                Bad(csvPath, line, aqiText.Length == 0 ? "empty AQI" : $"AQI '{aqiText}' is not a number");
                continue;
            }
            if (double.IsNaN(aqi))
            {
                Bad(csvPath, line, "AQI is NaN");
                continue;
            }
            if (aqi < 0 || aqi > options.MaxAqi)
            {
                Bad(csvPath, line, $"AQI {aqiText} is outside [0, {options.MaxAqi.ToString(CultureInfo.InvariantCulture)}]");
                continue;
            }
            string path = Path.GetFullPath(Path.Combine(imagesDir, fileName));
            if (firstLineOf.TryGetValue(path, out int firstLine))
            {
                Bad(csvPath, line, $"duplicate of line {firstLine} (same Filename '{fileName}'); the first is kept");
                continue;
            }
            firstLineOf[path] = line;
            if (!File.Exists(path))
            {
                Bad(csvPath, line, $"image file '{path}' not found");
                continue;
            }
            string group = groupCols is null
                ? "file:" + fileName
                : "aqi:" + string.Join("|", groupCols.Select(c => table[r, c].Trim()));
            samples.Add(new Sample(path, group, [1.0, aqi]) { SourceLine = line });
        }

        if (negativesDir is not null)
        {
            List<string> files;
            try
            {
                files = Directory.EnumerateFiles(negativesDir, "*", SearchOption.AllDirectories)
                    .Where(ImageDecoder.IsImageFile)
                    .Select(Path.GetFullPath)
                    .OrderBy(p => p, StringComparer.Ordinal)
                    .ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ManifestException($"negatives directory '{negativesDir}' cannot be read: {e.Message}", e);
            }
            foreach (var f in files)
                samples.Add(new Sample(f, "neg:" + f, [0.0, NegativeAqi]));
        }

        if (options.VerifyDecode)
            samples = Verify(samples, csvPath, options, skipped);
        return new SampleManifest(Schema, samples, skipped);
    }

    /// <summary>Decodes every sample once (in parallel); undecodable ones become skipped rows, in manifest order.</summary>
    private static List<Sample> Verify(List<Sample> samples, string csvPath, SkyAqiManifestOptions options, List<SkippedRow> skipped)
    {
        var errors = new string?[samples.Count];
        Parallel.For(0, samples.Count, i =>
        {
            try
            {
                ImageDecoder.DecodeRgb(samples[i].ImagePath, options.VerifySize, options.VerifySize);
            }
            catch (ImageDecodeException e)
            {
                errors[i] = e.Message;
            }
        });
        var kept = new List<Sample>(samples.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            if (errors[i] is null)
            {
                kept.Add(samples[i]);
                continue;
            }
            var row = samples[i].SourceLine > 0
                ? new SkippedRow(csvPath, samples[i].SourceLine, errors[i]!)
                : new SkippedRow(samples[i].ImagePath, 0, errors[i]!);
            if (options.Strict)
                throw new ManifestException(row.ToString());
            skipped.Add(row);
        }
        return kept;
    }

    private static void CheckDirectory(string dir, string what)
    {
        if (!Directory.Exists(dir))
            throw new ManifestException($"{what} directory '{dir}' does not exist");
        try
        {
            using var e = Directory.EnumerateFileSystemEntries(dir).GetEnumerator();
            e.MoveNext();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManifestException($"{what} directory '{dir}' cannot be read: {e.Message}", e);
        }
    }
}
