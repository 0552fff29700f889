using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScratchNet.Nn.Metrics;

/// <summary>
/// Seed 000's evaluation table for the sky / AQI multi-task model: is_sky classification over all images, AQI
/// regression over the TRUE-SKY images only.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="IsSky"/>: accuracy, precision, recall, F1 (and MCC) over every image, positive class = "sky"
/// (label 1); see <see cref="BinaryClassificationMetrics"/> for the formulas and the zero-division rule.</item>
/// <item><see cref="Aqi"/>: MAE, MSE, RMSE, R² (see <see cref="RegressionMetrics"/>) over the images whose TRUE is_sky
/// label is 1, whatever the classifier predicted for them — the seed's headline numbers (MAE 26.27, RMSE 34.87,
/// R² 0.8826) are over sky images only. Non-sky images carry aqi = −1 and are left out. <see cref="AqiSubset"/> says
/// so in the JSON. Null when there is no true-sky image.</item>
/// <item><see cref="AqiBandConfusion"/>: the 6×6 EPA band confusion (<see cref="AqiBands"/>) over the same true-sky
/// images.</item>
/// </list>
/// JSON (<see cref="ToJson"/>, <see cref="Save"/>) uses snake_case names, e.g.
/// <c>{"sample_count": …, "is_sky": {"accuracy": …}, "aqi_subset": "…", "aqi": {"mae": …}, "aqi_band_confusion": {"labels": […], "counts": [[…]]}}</c>.
/// </remarks>
public sealed record SkyAqiMetrics
{
    /// <summary>The text of <see cref="AqiSubset"/>.</summary>
    public const string TrueSkyOnlyDescription =
        "true-sky images only (is_sky label = 1, whatever the classifier predicted); non-sky images (aqi = -1) excluded";

    /// <summary>The JSON options used by <see cref="ToJson"/> / <see cref="FromJson"/>: snake_case, indented, NaN/∞ written as strings.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>All images evaluated.</summary>
    public int SampleCount { get; init; }

    /// <summary>Images whose true is_sky label is 1 (the regression subset).</summary>
    public int TrueSkyCount { get; init; }

    /// <summary>The probability threshold used for is_sky (p(sky) ≥ threshold → sky), or null when 0/1 predictions were given.</summary>
    public double? IsSkyThreshold { get; init; }

    /// <summary>is_sky classification over all images, positive = "sky".</summary>
    public BinaryClassificationMetrics IsSky { get; init; } = new();

    /// <summary>Which images <see cref="Aqi"/> and <see cref="AqiBandConfusion"/> are computed over.</summary>
    public string AqiSubset { get; init; } = TrueSkyOnlyDescription;

    /// <summary>AQI regression errors over the true-sky images; null when there are none.</summary>
    public RegressionMetrics? Aqi { get; init; }

    /// <summary>EPA band confusion (rows = true band, columns = predicted band) over the true-sky images.</summary>
    public ConfusionMatrix AqiBandConfusion { get; init; } = new(AqiBands.Count, AqiBands.Names);

    /// <summary>Metrics from 0/1 is_sky predictions (1 = sky).</summary>
    /// <param name="isSkyTrue">True labels, 1 = sky, 0 = not sky.</param>
    /// <param name="isSkyPredicted">Predicted labels, 1 = sky (e.g. the argmax of the classification head).</param>
    /// <param name="aqiTrue">True AQI (−1 or anything for non-sky rows; must be ≥ 0 on true-sky rows).</param>
    /// <param name="aqiPredicted">Predicted AQI.</param>
    public static SkyAqiMetrics Compute(ReadOnlySpan<int> isSkyTrue, ReadOnlySpan<int> isSkyPredicted,
        ReadOnlySpan<double> aqiTrue, ReadOnlySpan<double> aqiPredicted)
    {
        CheckLengths(isSkyTrue.Length, isSkyPredicted.Length, aqiTrue.Length, aqiPredicted.Length);
        var cls = BinaryClassificationMetrics.Compute(isSkyTrue, isSkyPredicted, 1, "sky", "not sky");
        return Build(isSkyTrue, aqiTrue, aqiPredicted, cls, null);
    }

    /// <summary>Metrics from p(sky): predicted sky when p ≥ <paramref name="threshold"/> (for a 2-way softmax, 0.5 is the argmax).</summary>
    public static SkyAqiMetrics Compute(ReadOnlySpan<int> isSkyTrue, ReadOnlySpan<double> isSkyProbability,
        ReadOnlySpan<double> aqiTrue, ReadOnlySpan<double> aqiPredicted, double threshold = 0.5)
    {
        CheckLengths(isSkyTrue.Length, isSkyProbability.Length, aqiTrue.Length, aqiPredicted.Length);
        var cls = BinaryClassificationMetrics.FromProbabilities(isSkyTrue, isSkyProbability, threshold, 1, "sky", "not sky");
        return Build(isSkyTrue, aqiTrue, aqiPredicted, cls, threshold);
    }

    /// <summary>The JSON text (snake_case, indented).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static SkyAqiMetrics FromJson(string json) =>
        JsonSerializer.Deserialize<SkyAqiMetrics>(json, JsonOptions) ?? throw new JsonException("null metrics document");

    /// <summary>Writes metrics.json atomically (a temporary file in the same folder, then a move over the target).</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(ToJson()));

    /// <summary>Reads a metrics.json written by <see cref="Save"/>.</summary>
    public static SkyAqiMetrics Load(string path) => FromJson(File.ReadAllText(path));

    /// <summary>The seed's "Metric | Value" table, then the band confusion.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = new List<(string, string)>
        {
            ("Accuracy (is_sky, positive = sky)", IsSky.Accuracy.ToString("F4", inv)),
            ("Precision (is_sky)", IsSky.Precision.ToString("F4", inv)),
            ("Recall (is_sky)", IsSky.Recall.ToString("F4", inv)),
            ("F1 Score (is_sky)", IsSky.F1.ToString("F4", inv)),
        };
        string n = $" [true-sky, N={TrueSkyCount.ToString(inv)}]";
        if (Aqi is { } a)
        {
            rows.Add(("Mean Absolute Error (AQI)" + n, a.Mae.ToString("F4", inv)));
            rows.Add(("Mean Squared Error (AQI)" + n, a.Mse.ToString("F4", inv)));
            rows.Add(("Root Mean Squared Error (AQI)" + n, a.Rmse.ToString("F4", inv)));
            rows.Add(("R² (AQI)" + n, a.R2.ToString("F4", inv)));
            rows.Add(("AQI band accuracy" + n, AqiBandConfusion.Accuracy.ToString("F4", inv)));
        }
        else
        {
            rows.Add(("AQI regression", "n/a (no true-sky image)"));
        }
        int w = Math.Max("Metric".Length, rows.Max(r => r.Item1.Length));
        var sb = new StringBuilder();
        sb.Append("Images: ").Append(SampleCount.ToString(inv)).Append(" (true sky ").Append(TrueSkyCount.ToString(inv))
          .Append(", is_sky TP/FP/TN/FN ").Append(IsSky.TruePositives.ToString(inv)).Append('/')
          .Append(IsSky.FalsePositives.ToString(inv)).Append('/').Append(IsSky.TrueNegatives.ToString(inv)).Append('/')
          .Append(IsSky.FalseNegatives.ToString(inv)).Append(')').AppendLine();
        sb.Append("Metric".PadRight(w)).AppendLine(" | Value");
        sb.Append(new string('-', w)).AppendLine("-|-------");
        foreach (var (k, v) in rows) sb.Append(k.PadRight(w)).Append(" | ").AppendLine(v);
        sb.AppendLine().Append("AQI regression subset: ").AppendLine(AqiSubset);
        if (TrueSkyCount > 0)
        {
            sb.AppendLine().AppendLine("AQI band confusion (true-sky images; rows = true band, columns = predicted band):");
            sb.Append(AqiBandConfusion.ToText());
        }
        return sb.ToString();
    }

    private static SkyAqiMetrics Build(ReadOnlySpan<int> isSkyTrue, ReadOnlySpan<double> aqiTrue,
        ReadOnlySpan<double> aqiPredicted, BinaryClassificationMetrics cls, double? threshold)
    {
        var t = new List<double>();
        var p = new List<double>();
        for (int i = 0; i < isSkyTrue.Length; i++)
        {
            if (isSkyTrue[i] != 1) continue;
            if (!AqiBands.TryBandOf(aqiTrue[i], out _))
                throw new ArgumentOutOfRangeException(nameof(aqiTrue), aqiTrue[i], $"image {i} is labelled sky but its true AQI is not a valid AQI");
            t.Add(aqiTrue[i]);
            p.Add(aqiPredicted[i]);
        }
        var ta = t.ToArray();
        var pa = p.ToArray();
        return new SkyAqiMetrics
        {
            SampleCount = isSkyTrue.Length,
            TrueSkyCount = ta.Length,
            IsSkyThreshold = threshold,
            IsSky = cls,
            AqiSubset = TrueSkyOnlyDescription,
            Aqi = ta.Length == 0 ? null : RegressionMetrics.Compute(ta, pa),
            AqiBandConfusion = AqiBands.Confusion(ta, pa),
        };
    }

    private static void CheckLengths(int a, int b, int c, int d)
    {
        if (a != b || a != c || a != d)
            throw new ArgumentException($"lengths differ: is_sky true {a}, is_sky predicted {b}, aqi true {c}, aqi predicted {d}");
    }
}
