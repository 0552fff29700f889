using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn;
using ScratchNet.Nn.Metrics;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// One task's figures on a split, by kind (see <c>../shared/REFERENCE.md</c>): classification — accuracy, macro F1
/// and the confusion matrix; regression — MAE, RMSE, R² and the MAE of always predicting the training mean;
/// multi-label — Hamming loss, exact match and per-label precision/recall/F1, at the config's threshold and at
/// per-label thresholds tuned on the validation split. Only rows that count for the task are scored: those with a
/// label that meet its <c>when.label</c> condition (<c>when.correct</c> shapes training only: scoring just the rows
/// another head got right would flatter the model).
/// </summary>
public sealed record TaskResult
{
    /// <summary>Task name.</summary>
    public required string Task { get; init; }
    /// <summary>classification, regression or multilabel.</summary>
    public required string Kind { get; init; }
    /// <summary>Rows scored.</summary>
    public int Count { get; init; }
    /// <summary>Mean of the task's loss <c>L_t</c> over the split's batches.</summary>
    public double Loss { get; init; }
    /// <summary>Classification: fraction right.</summary>
    public double? Accuracy { get; init; }
    /// <summary>Classification (mean over classes) or multi-label (mean over labels, at the config's threshold): F1.</summary>
    public double? MacroF1 { get; init; }
    /// <summary>Classification: counts [true, predicted].</summary>
    public ConfusionMatrix? Confusion { get; init; }
    /// <summary>Regression: MAE, MSE, RMSE, R².</summary>
    public RegressionMetrics? Regression { get; init; }
    /// <summary>Regression with <c>bands:</c>: true band against predicted band, and its accuracy.</summary>
    public ConfusionMatrix? BandConfusion { get; init; }
    /// <summary>Regression: MAE of predicting the training mean for every row (the bar a model must clear).</summary>
    public double? BaselineMae { get; init; }
    /// <summary>Multi-label at the config's fixed threshold.</summary>
    public MultiLabelMetrics? AtThreshold { get; init; }
    /// <summary>Multi-label at per-label thresholds tuned on validation (null when none were tuned).</summary>
    public MultiLabelMetrics? Tuned { get; init; }

    /// <summary>The figure called <paramref name="metric"/> (as in a config's <c>monitor</c>), or null if this kind has none.</summary>
    public double? Value(string metric) => metric switch
    {
        "loss" => Loss,
        "accuracy" => Accuracy,
        "macro_f1" => MacroF1,
        "mae" => Regression?.Mae,
        "band_accuracy" => BandConfusion?.Accuracy,
        "rmse" => Regression?.Rmse,
        "r2" => Regression?.R2,
        "hamming_loss" => AtThreshold?.HammingLoss,
        "exact_match" => AtThreshold?.ExactMatchRatio,
        _ => null,
    };
}

/// <summary>Every task's <see cref="TaskResult"/> on one split, plus the total loss; what <c>metrics.json</c> holds.</summary>
public sealed record ExperimentMetrics
{
    /// <summary>JSON: snake_case, indented, NaN/∞ as strings.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Which split (validation, test, …).</summary>
    public required string Split { get; init; }
    /// <summary>Images evaluated.</summary>
    public int SampleCount { get; init; }
    /// <summary>Mean total loss.</summary>
    public double Loss { get; init; }
    /// <summary>Per task, in config order.</summary>
    public required IReadOnlyList<TaskResult> Tasks { get; init; }

    /// <summary><c>val_loss</c> or <c>TASK.METRIC</c>; NaN when the split had nothing to score.</summary>
    public double Monitor(string monitor)
    {
        if (monitor == "val_loss") return Loss;
        int dot = monitor.IndexOf('.');
        var task = dot > 0 ? Tasks.FirstOrDefault(t => t.Task == monitor[..dot]) : null;
        if (task is null) throw new ArgumentException($"monitor '{monitor}' names no task of this experiment");
        return task.Value(monitor[(dot + 1)..]) ?? throw new ArgumentException($"monitor '{monitor}': a {task.Kind} task has no metric '{monitor[(dot + 1)..]}'");
    }

    /// <summary>
    /// Scores <paramref name="predictions"/>. <paramref name="thresholds"/> (task → per-label thresholds, from
    /// <see cref="TuneThresholds"/> on validation) adds the tuned multi-label figures; <paramref name="trainMeans"/>
    /// (task → training-set mean) adds the regression baseline.
    /// </summary>
    public static ExperimentMetrics Compute(string split, MultiTaskObjective objective, TargetLayout layout, TaskPredictions predictions,
        IReadOnlyDictionary<string, double[]>? thresholds = null, IReadOnlyDictionary<string, double>? trainMeans = null)
    {
        var results = new List<TaskResult>();
        foreach (var task in objective.Tasks)
        {
            var rows = Enumerable.Range(0, predictions.Count).Where(i => objective.Counts(task, predictions.Targets[i])).ToArray();
            var (offset, slots) = layout[task.Name];
            var output = predictions.Outputs[task.Name];
            int k = task.Outputs;
            var result = new TaskResult { Task = task.Name, Kind = KindName(task.Kind), Count = rows.Length, Loss = predictions.TaskLosses[task.Name] };
            switch (task.Kind)
            {
                case TaskKind.Classification:
                {
                    var truth = rows.Select(i => (int)predictions.Targets[i][offset]).ToArray();
                    var predicted = rows.Select(i => ArgMax(output.AsSpan(i * k, k))).ToArray();
                    var cm = ConfusionMatrix.From(truth, predicted, k, task.Labels);
                    result = result with { Accuracy = rows.Length > 0 ? cm.Accuracy : double.NaN, MacroF1 = rows.Length > 0 ? cm.MacroF1 : double.NaN, Confusion = cm };
                    break;
                }
                case TaskKind.Regression:
                {
                    var y = rows.Select(i => predictions.Targets[i][offset]).ToArray();
                    var yHat = rows.Select(i => output[i]).ToArray();
                    result = result with
                    {
                        // Nothing to score (no labelled row in this split): NaN, which never counts as an improvement.
                        Regression = y.Length > 0 ? RegressionMetrics.Compute(y, yHat)
                            : new RegressionMetrics { Mae = double.NaN, Mse = double.NaN, Rmse = double.NaN, R2 = double.NaN, TargetMean = double.NaN },
                        BaselineMae = trainMeans is not null && trainMeans.TryGetValue(task.Name, out var mean) && y.Length > 0 ? RegressionMetrics.Baseline(y, mean).Mae : null,
                        BandConfusion = task.Bands?.ToBands().Confusion(y, yHat),
                    };
                    break;
                }
                default:
                {
                    var (truth, probs) = MultiLabelRows(predictions, rows, offset, slots, output);
                    var fixedT = Scored(MultiLabelMetrics.Compute(truth, probs, slots, task.Threshold, task.OutputNames), rows.Length);
                    var tuned = thresholds is not null && thresholds.TryGetValue(task.Name, out var t) ? Scored(MultiLabelMetrics.Compute(truth, probs, slots, t, task.OutputNames), rows.Length) : null;
                    result = result with { AtThreshold = fixedT, Tuned = tuned, MacroF1 = fixedT.MacroF1 };
                    break;
                }
            }
            results.Add(result);
        }
        return new ExperimentMetrics { Split = split, SampleCount = predictions.Count, Loss = predictions.MeanLoss, Tasks = results };
    }

    // MultiLabelMetrics gives 0 errors for 0 rows; with nothing to score the figures are NaN, so an empty split
    // never looks perfect to a monitor.
    private static MultiLabelMetrics Scored(MultiLabelMetrics m, int rows) =>
        rows > 0 ? m : m with { HammingLoss = double.NaN, ExactMatchRatio = double.NaN, MacroF1 = double.NaN };

    /// <summary>Per-label thresholds for every multi-label task, tuned on <paramref name="validation"/> (Matthews correlation over 0.1–0.9).</summary>
    public static Dictionary<string, double[]> TuneThresholds(MultiTaskObjective objective, TargetLayout layout, TaskPredictions validation)
    {
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var task in objective.Tasks.Where(t => t.Kind == TaskKind.MultiLabel))
        {
            var rows = Enumerable.Range(0, validation.Count).Where(i => objective.Counts(task, validation.Targets[i])).ToArray();
            var (offset, slots) = layout[task.Name];
            var (truth, probs) = MultiLabelRows(validation, rows, offset, slots, validation.Outputs[task.Name]);
            result[task.Name] = MultiLabelMetrics.TuneThresholds(truth, probs, slots);
        }
        return result;
    }

    private static (int[] Truth, double[] Probabilities) MultiLabelRows(TaskPredictions p, int[] rows, int offset, int slots, double[] output)
    {
        var truth = new int[rows.Length * slots];
        var probs = new double[rows.Length * slots];
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < slots; c++)
            {
                truth[r * slots + c] = p.Targets[rows[r]][offset + c] != 0 ? 1 : 0;
                probs[r * slots + c] = output[rows[r] * slots + c];
            }
        return (truth, probs);
    }

    /// <summary>Index of the largest value (first wins), as <c>argmax</c>.</summary>
    public static int ArgMax(ReadOnlySpan<double> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    /// <summary>The config spelling of a kind.</summary>
    public static string KindName(TaskKind kind) => kind switch
    {
        TaskKind.Classification => "classification",
        TaskKind.Regression => "regression",
        _ => "multilabel",
    };

    /// <summary>
    /// A line per task; with <paramref name="perClass"/> also each class's F1 (classification) or each label's F1
    /// at the fixed threshold and at the tuned one, with that threshold (multi-label).
    /// </summary>
    public string ToText(bool perClass = false)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"{Split}: {SampleCount} images, loss {Loss:F4}");
        foreach (var t in Tasks)
        {
            sb.Append(inv, $"  {t.Task} ({t.Kind}, {t.Count} rows): ");
            sb.AppendLine(t.Kind switch
            {
                "classification" => string.Create(inv, $"accuracy {t.Accuracy:F4}, macro F1 {t.MacroF1:F4}"),
                "regression" => string.Create(inv, $"MAE {t.Regression!.Mae:G4}, RMSE {t.Regression.Rmse:G4}, R² {t.Regression.R2:F4}")
                    + (t.BaselineMae is double b ? string.Create(inv, $"; training-mean baseline MAE {b:G4} (ratio {t.Regression.Mae / b:F3})") : ""),
                _ => string.Create(inv, $"Hamming loss {t.AtThreshold!.HammingLoss:F4}, exact match {t.AtThreshold.ExactMatchRatio:F4}, macro F1 {t.AtThreshold.MacroF1:F4} at {t.AtThreshold.Thresholds.FirstOrDefault():G2}")
                    + (t.Tuned is { } tuned ? string.Create(inv, $"; tuned thresholds: Hamming {tuned.HammingLoss:F4}, exact match {tuned.ExactMatchRatio:F4}, macro F1 {tuned.MacroF1:F4}") : ""),
            });
            if (!perClass || t.Count == 0) continue;
            if (t.BandConfusion is { } bands)
                sb.AppendLine(string.Create(inv, $"      bands: accuracy {bands.Accuracy:F4}; F1 per band: ") + string.Join(", ", bands.Labels.Select((l, c) => string.Create(inv, $"{l} {bands.F1(c):F3}"))));
            if (t.Confusion is { } cm)
                sb.AppendLine("      F1 per class: " + string.Join(", ", cm.Labels.Select((l, c) => string.Create(inv, $"{l} {cm.F1(c):F3}"))));
            if (t.AtThreshold is { } at)
                sb.AppendLine("      F1 per label at " + at.Thresholds.FirstOrDefault().ToString("G2", inv) + (t.Tuned is null ? "" : " / at the tuned threshold") + ": " +
                    string.Join(", ", at.ClassNames.Select((l, c) => string.Create(inv, $"{l} {at.PerClass[c].F1:F3}")
                        + (t.Tuned is { } tu ? string.Create(inv, $" / {tu.PerClass[c].F1:F3} (t = {tu.Thresholds[c]:G2})") : ""))));
        }
        return sb.ToString().TrimEnd();
    }

    /// <summary>Writes indented JSON atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(JsonSerializer.Serialize(this, JsonOptions)));
}
