using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Nn.Experiments;

/// <summary>One trained model of a comparison: which tasks, how long training took, its test figures.</summary>
/// <param name="Name">Run name (<c>multi</c> or <c>single-TASK</c>).</param>
/// <param name="Tasks">Tasks it was trained on.</param>
/// <param name="TrainSeconds">Wall time of training (all epochs, with validation).</param>
/// <param name="Epochs">Epochs trained (fewer than configured if early stopping fired).</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Test">Test-split figures.</param>
public sealed record ComparisonRun(string Name, IReadOnlyList<string> Tasks, double TrainSeconds, int Epochs, long Parameters, ExperimentMetrics Test);

/// <summary>
/// Seeds 002 and 003's question: is one network with a head per task as good as one network per task, and how
/// much cheaper? Trains one single-task model per task and the multi-task model under the same settings (epochs,
/// batch size, optimiser, seed, data split), scores each on the test split, and times inference of the n
/// single-task models against the one multi-task model on the same test images.
/// </summary>
public sealed class ExperimentComparison
{
    /// <summary>Runs in order: the single-task models, then the multi-task one.</summary>
    public required IReadOnlyList<ComparisonRun> Runs { get; init; }
    /// <summary>Images per second through all single-task models (each image through each of them).</summary>
    public double SingleImagesPerSecond { get; init; }
    /// <summary>Images per second through the multi-task model.</summary>
    public double MultiImagesPerSecond { get; init; }
    /// <summary>Images timed.</summary>
    public int ThroughputImages { get; init; }
    /// <summary>Batch size of the throughput measurement.</summary>
    public int ThroughputBatch { get; init; }

    /// <summary>
    /// The single-task version of <paramref name="task"/>: the same experiment with only that task. A
    /// <c>when.correct</c> condition needs the other task's head and is dropped; a <c>when.label</c> condition only
    /// needs the other task's labels, which the single-task model's data does not carry, so it is dropped too.
    /// Both are reported by <see cref="DroppedConditions"/>.
    /// </summary>
    /// <remarks>A monitor that names another task is replaced by this task's headline figure (accuracy, MAE, macro F1).</remarks>
    public static ExperimentConfig SingleTask(ExperimentConfig config, TaskConfig task)
    {
        string headline = task.Name + task.Kind switch { TaskKind.Classification => ".accuracy", TaskKind.Regression => ".mae", _ => ".macro_f1" };
        string? Own(string? monitor) => monitor is null || monitor == "val_loss" || monitor.StartsWith(task.Name + ".", StringComparison.Ordinal) ? monitor : headline;
        var train = config.Train with
        {
            Monitor = Own(config.Train.Monitor)!,
            EarlyStopping = config.Train.EarlyStopping is { } es ? es with { Monitor = Own(es.Monitor) } : null,
            ReduceLrOnPlateau = config.Train.ReduceLrOnPlateau is { } rp ? rp with { Monitor = Own(rp.Monitor) } : null,
        };
        return config with { Name = $"{config.Name}-single-{task.Name}", Tasks = [task with { When = null, Weight = 1 }], Train = train };
    }

    /// <summary>Tasks whose condition is dropped in their single-task model.</summary>
    public static IEnumerable<string> DroppedConditions(ExperimentConfig config) => config.Tasks.Where(t => t.When is not null).Select(t => t.Name);

    /// <summary>
    /// Trains and scores every model; <paramref name="root"/> gets one run directory per model. Cancelling stops the
    /// model in training after its batch (its <c>last</c> checkpoint is saved) and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static ExperimentComparison Run(ExperimentConfig config, Device device, string root, Func<string, ITrainingProgress> progressFor, CancellationToken cancel)
    {
        var configs = config.Tasks.Count > 1
            ? config.Tasks.Select(t => ("single-" + t.Name, SingleTask(config, t))).Append(("multi", config)).ToList()
            : [("multi", config)];
        var runs = new List<ComparisonRun>();
        var models = new List<(MultiHeadCnn Model, ExperimentConfig Config)>();
        try
        {
            foreach (var (name, c) in configs)
            {
                var data = TaskDataset.Load(c);
                using var run = RunDirectory.Open(Path.Combine(root, name), RunStart.Overwrite); // a comparison always trains afresh
                ExperimentModel.SaveToRun(c, run.Root);
                var result = new TaskTrainer(c, run, progressFor(name)).Train(data, device, resume: false, cancel);
                if (result.Interrupted) throw new OperationCanceledException();
                bool useBest = (c.Train.EarlyStopping?.RestoreBest ?? true) && File.Exists(run.BestCheckpoint);
                var model = ExperimentModel.Build(c, device);
                models.Add((model, c));
                Checkpoint.Load(useBest ? run.BestCheckpoint : run.LastCheckpoint, model);
                var (metrics, test) = TaskReport.Evaluate(model, data, device, cancel: cancel);
                cancel.ThrowIfCancellationRequested(); // never score a model on a split cut short
                TaskReport.Write(run, data, metrics, test);
                runs.Add(new ComparisonRun(name, c.Tasks.Select(t => t.Name).ToList(), result.TrainSeconds, result.Log.Rows.Count,
                    model.Parameters().Sum(p => (long)p.Numel), metrics.Test));
            }
            // Throughput on the same test images: every single-task model in turn vs the multi-task model once.
            var images = TaskDataset.Load(config).Split.Test.Take(512).ToList();
            const int batch = 64;
            var singles = models.Take(models.Count - 1).ToList();
            var multi = models[^1];
            double singleSeconds = singles.Count > 0 ? singles.Sum(m => InferenceSeconds(m.Model, m.Config, images, batch, device)) : double.NaN;
            double multiSeconds = InferenceSeconds(multi.Model, multi.Config, images, batch, device);
            return new ExperimentComparison
            {
                Runs = runs, ThroughputImages = images.Count, ThroughputBatch = batch,
                SingleImagesPerSecond = images.Count / singleSeconds, MultiImagesPerSecond = images.Count / multiSeconds,
            };
        }
        finally
        {
            foreach (var (m, _) in models) m.Dispose();
        }
    }

    /// <summary>
    /// Median seconds of 3 timed passes (after one warm-up) of forward-only inference over <paramref name="samples"/>,
    /// images already decoded, so only the network is timed.
    /// </summary>
    public static double InferenceSeconds(MultiHeadCnn model, ExperimentConfig config, IReadOnlyList<Sample> samples, int batchSize, Device device)
    {
        using var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = config.Input.Size, BatchSize = batchSize, Shuffle = false });
        var batches = loader.GetEpoch(0).Select(b => (Images: InputTransform.Transform(b.Images, b.Count, b.ImageSize, config.Input), b.Count, b.ImageSize)).ToList();
        model.Eval();
        double Pass()
        {
            var clock = Stopwatch.StartNew();
            foreach (var (x, n, s) in batches)
            {
                using var scope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                var outputs = model.Forward(Tensor.FromArray(x, [n, config.Input.Channels, s, s], device));
                foreach (var o in outputs.Values) o.ToDoubleArray(); // wait for the device, as a caller reading results would
            }
            return clock.Elapsed.TotalSeconds;
        }
        Pass();
        var times = new[] { Pass(), Pass(), Pass() };
        Array.Sort(times);
        return times[1];
    }

    /// <summary>The side-by-side table as Markdown: each task's metrics single vs multi, then time and throughput.</summary>
    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var multi = Runs[^1];
        sb.AppendLine("| task | metric | single-task | multi-task |");
        sb.AppendLine("|---|---|---:|---:|");
        foreach (var t in multi.Test.Tasks)
        {
            var single = Runs.FirstOrDefault(r => r.Name == "single-" + t.Task)?.Test.Tasks.FirstOrDefault(x => x.Task == t.Task);
            foreach (var metric in TaskLog.MetricsOf(Enum.Parse<TaskKind>(t.Kind, ignoreCase: true), t.BandConfusion is not null).Where(m => m != "loss"))
                sb.AppendLine(inv, $"| {t.Task} | {metric} | {Format(single?.Value(metric))} | {Format(t.Value(metric))} |");
        }
        var singles = Runs.Take(Runs.Count - 1).ToList();
        sb.AppendLine();
        sb.AppendLine("| | single-task models | multi-task model |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine(inv, $"| models | {singles.Count} | 1 |");
        sb.AppendLine(inv, $"| parameters | {singles.Sum(r => r.Parameters):N0} | {multi.Parameters:N0} |");
        sb.AppendLine(inv, $"| training time (s) | {singles.Sum(r => r.TrainSeconds):F1} ({string.Join(" + ", singles.Select(r => r.TrainSeconds.ToString("F1", inv)))}) | {multi.TrainSeconds:F1} |");
        sb.AppendLine(inv, $"| epochs | {string.Join(" / ", singles.Select(r => r.Epochs))} | {multi.Epochs} |");
        sb.AppendLine(inv, $"| inference, images/s (all tasks, batch {ThroughputBatch}, {ThroughputImages} test images) | {SingleImagesPerSecond:F0} | {MultiImagesPerSecond:F0} |");
        return sb.ToString();
    }

    private static string Format(double? v) => v is double d && double.IsFinite(d) ? d.ToString("F4", CultureInfo.InvariantCulture) : "–";
}
