using System.Globalization;
using ScratchNet.Nn.Experiments.Plots;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Experiments;

/// <summary>A finished model's figures: validation (where thresholds are tuned) and test, with the tuned thresholds.</summary>
/// <param name="Validation">Validation split.</param>
/// <param name="Test">Test split, multi-label figures also at the validation-tuned thresholds.</param>
/// <param name="Thresholds">Task → per-label thresholds tuned on validation (multi-label tasks only).</param>
public sealed record RunMetrics(ExperimentMetrics Validation, ExperimentMetrics Test, IReadOnlyDictionary<string, double[]> Thresholds)
{
    /// <summary>Writes <c>metrics.json</c> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path,
        System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(this, ExperimentMetrics.JsonOptions)));
}

/// <summary>
/// Scores a trained model on a dataset's validation and test splits and writes what a run directory shows:
/// <c>metrics.json</c>, <c>curves.png</c> (from log.csv), a confusion matrix per classification task and a
/// true-vs-predicted scatter per regression task.
/// </summary>
public static class TaskReport
{
    /// <summary>Validation and test figures of <paramref name="model"/> on <paramref name="data"/>; also returns the test predictions.</summary>
    /// <remarks>
    /// Multi-label thresholds are tuned on the validation split; when it is empty (evaluating a separate CSV),
    /// <paramref name="fallbackThresholds"/> (those stored in the checkpoint) are used instead.
    /// </remarks>
    /// <param name="model">The trained model.</param>
    /// <param name="data">The dataset whose validation and test splits are scored.</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="fallbackThresholds">Multi-label thresholds when validation is empty.</param>
    /// <param name="cancel">Stops the scoring.</param>
    /// <param name="failures">When given, receives the images that failed to decode (and were left out of the figures).</param>
    public static (RunMetrics Metrics, TaskPredictions Test) Evaluate(MultiHeadCnn model, TaskDataset data, Device device,
        IReadOnlyDictionary<string, double[]>? fallbackThresholds = null, CancellationToken cancel = default, List<SkippedRow>? failures = null)
    {
        var config = data.Config;
        var objective = new MultiTaskObjective(config.Tasks, data.Layout);
        var trainMeans = TaskTrainer.TrainMeans(data, objective);
        var cache = new ImageCache();
        DataLoader Loader(IReadOnlyList<Sample> s) => new(s, new DataLoaderOptions { ImageSize = config.Input.Size, BatchSize = 128, Shuffle = false }, cache);
        using var valLoader = Loader(data.Split.Validation);
        using var testLoader = Loader(data.Split.Test);
        var val = TaskPredictions.Run(model, valLoader, device, config.Input, objective, cancel);
        var thresholds = val.Count > 0 ? ExperimentMetrics.TuneThresholds(objective, data.Layout, val)
            : new Dictionary<string, double[]>(fallbackThresholds ?? new Dictionary<string, double[]>());
        var valMetrics = ExperimentMetrics.Compute("validation", objective, data.Layout, val, thresholds, trainMeans);
        var test = TaskPredictions.Run(model, testLoader, device, config.Input, objective, cancel);
        var testMetrics = ExperimentMetrics.Compute("test", objective, data.Layout, test, thresholds, trainMeans);
        failures?.AddRange(valLoader.Failures.Concat(testLoader.Failures));
        return (new RunMetrics(valMetrics, testMetrics, thresholds), test);
    }

    /// <summary>Writes metrics.json and the plots into <paramref name="run"/>; returns the plot files written.</summary>
    public static List<string> Write(RunDirectory run, TaskDataset data, RunMetrics metrics, TaskPredictions test)
    {
        metrics.Save(run.File("metrics.json"));
        var written = new List<string> { "metrics.json" };
        var log = run.File("log.csv");
        if (File.Exists(log))
        {
            TrainingCurves.Save(run.File("curves.png"), EpochValues.ReadCsv(log), $"{data.Config.Name} training");
            written.Add("curves.png");
        }
        var objective = new MultiTaskObjective(data.Config.Tasks, data.Layout);
        foreach (var result in metrics.Test.Tasks)
        {
            var task = data.Config.Task(result.Task)!;
            if (result.Confusion is { } cm && result.Count > 0)
            {
                string name = $"{task.Name}_confusion.png";
                ConfusionMatrixPlot.Save(run.File(name), cm, $"{task.Name} (test split)");
                written.Add(name);
            }
            else if (task.Kind == TaskKind.Regression && result.Count > 0)
            {
                int slot = data.Layout[task.Name].Offset;
                var rows = Enumerable.Range(0, test.Count).Where(i => objective.Counts(task, test.Targets[i])).ToArray();
                string name = $"{task.Name}_scatter.png";
                ScatterPlot.Save(run.File(name), rows.Select(i => test.Targets[i][slot]).ToList(), rows.Select(i => test.Outputs[task.Name][i]).ToList(),
                    $"{task.Name} on the test split", $"true {task.Name}", $"predicted {task.Name}");
                written.Add(name);
                if (result.BandConfusion is { } bands)
                {
                    string bandName = $"{task.Name}_band_confusion.png";
                    ConfusionMatrixPlot.Save(run.File(bandName), bands, $"{task.Name} bands (test split)");
                    written.Add(bandName);
                }
            }
        }
        return written;
    }

    /// <summary>The sidecar entries that carry tuned thresholds into a checkpoint (<c>thresholds.TASK</c> = comma-separated).</summary>
    public static Dictionary<string, string> ThresholdExtra(IReadOnlyDictionary<string, double[]> thresholds) =>
        thresholds.ToDictionary(kv => "thresholds." + kv.Key, kv => string.Join(",", kv.Value.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
}
