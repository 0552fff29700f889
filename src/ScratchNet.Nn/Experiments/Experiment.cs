using System.Diagnostics;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Experiments;

/// <summary>How <see cref="Experiment.Train"/> runs (every field has a default).</summary>
public sealed record TrainOptions
{
    /// <summary>The run directory; null = <c>runs/NAME-yyyyMMdd-HHmmss</c>.</summary>
    public string? OutDir { get; init; }

    /// <summary>Where to train; null = <see cref="Device.Cpu"/>.</summary>
    public Device? Device { get; init; }

    /// <summary>Replace a run already in <see cref="OutDir"/> (without it such a folder is refused).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Where the run's lines go (the header, warnings, the final summary); null = <see cref="Console.Out"/>.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>
    /// Hosts the training loop's progress: called with the epoch count and the loop, it runs the loop with an
    /// <see cref="ITrainingProgress"/> of its choosing (a terminal's live bars, say). Null = one line per epoch on
    /// <see cref="Log"/>.
    /// </summary>
    public Action<int, Action<ITrainingProgress>>? Progress { get; init; }

    /// <summary>An image that cannot be read (found by opening every image before training) is fatal instead of left out.</summary>
    public bool Strict { get; init; }

    /// <summary>Cancelled = stop after the current batch (or validation), save <c>last</c>, return interrupted.</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>
    /// Points the config at its data once the run directory is locked (an application may render or convert data
    /// into the run folder first); returns the config to train and the rows it dropped (written to <c>skipped.csv</c>).
    /// </summary>
    public Func<ExperimentConfig, RunDirectory, BoundData>? Bind { get; init; }
}

/// <summary>A config pointed at its data, and the rows dropped on the way (for <c>skipped.csv</c>).</summary>
public sealed record BoundData(ExperimentConfig Config, IReadOnlyList<SkippedRow> Skipped);

/// <summary>What a finished (or interrupted) <see cref="Experiment.Train"/> left behind.</summary>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="Checkpoint">The checkpoint scored on the test split (best by the monitor, else last); null when interrupted.</param>
/// <param name="Epoch">That checkpoint's epoch.</param>
/// <param name="Metrics">Validation and test metrics of that checkpoint; null when interrupted.</param>
/// <param name="Interrupted">Stopped by <see cref="TrainOptions.Stop"/>: <c>last</c> is saved, <see cref="Experiment.Resume"/> continues.</param>
/// <param name="StoppedEarly">Early stopping ended the run.</param>
public sealed record ExperimentResult(string RunDirectory, string? Checkpoint, int Epoch, RunMetrics? Metrics, bool Interrupted, bool StoppedEarly);

/// <summary>
/// One experiment from its config, trained from C#:
/// <code>
/// var result = Experiment.Load("examples/sky.yml").Train(new TrainOptions { OutDir = "runs/sky" });
/// Console.WriteLine(result.Metrics!.Test.ToText(perClass: true));
/// </code>
/// <see cref="Train"/> checks the config and its CSV (every problem reported before any training), locks the run
/// directory, trains with <see cref="TaskTrainer"/>, scores the chosen epoch on validation and test, and writes the
/// run (<c>experiment.json</c>, <c>config.yml</c>, <c>split.csv</c>, <c>log.csv</c>, checkpoints, <c>metrics.json</c>,
/// plots). A user's mistake is an exception whose message says what to fix (<see cref="ConfigException"/>,
/// <see cref="DataValidationException"/>, <see cref="RunDirectoryException"/>, <see cref="IOException"/>, …).
/// </summary>
public sealed class Experiment
{
    private readonly string? resumeDir;

    /// <summary>An experiment from a parsed config.</summary>
    public Experiment(ExperimentConfig config) => Config = config;

    private Experiment(ExperimentConfig config, string resumeDir) : this(config) => this.resumeDir = resumeDir;

    /// <summary>The resolved config (paths absolute, defaults filled in).</summary>
    public ExperimentConfig Config { get; }

    /// <summary>Parses and checks a YAML config (see docs/config.md); throws <see cref="ConfigException"/> naming file, line and field.</summary>
    public static Experiment Load(string yamlPath) => new(ConfigLoader.Load(yamlPath));

    /// <summary>
    /// The run in <paramref name="runDirectory"/>, to continue exactly where its <c>last.safetensors</c> stopped;
    /// <paramref name="epochs"/> may raise its epoch count (nothing else may change).
    /// </summary>
    public static Experiment Resume(string runDirectory, int? epochs = null)
    {
        if (!File.Exists(Path.Combine(runDirectory, ExperimentModel.RunFile)) || !File.Exists(Path.Combine(runDirectory, "last.safetensors")))
            throw new RunDirectoryException($"{runDirectory} is not a resumable run (needs {ExperimentModel.RunFile} and last.safetensors; start a new run instead)");
        var config = ExperimentModel.LoadFromRun(runDirectory);
        if (epochs is int n)
        {
            if (n < 1) throw new ConfigException("command line", 0, $"epochs must be ≥ 1, got {n}");
            config = config with { Train = config.Train with { Epochs = n } };
        }
        return new Experiment(config, runDirectory);
    }

    /// <summary>Trains, tests and writes the run; see the class summary.</summary>
    public ExperimentResult Train(TrainOptions? options = null)
    {
        options ??= new TrainOptions();
        var log = options.Log ?? Console.Out;
        var device = options.Device ?? Device.Cpu;
        var config = Config;
        bool resuming = resumeDir is not null;

        // The run directory first: a folder another process trains in, or an earlier run, is refused before any work.
        using var run = RunDirectory.Open(resumeDir ?? options.OutDir ?? Path.Combine("runs", $"{config.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"),
            resuming ? RunStart.Resume : options.Overwrite ? RunStart.Overwrite : RunStart.New);
        log.WriteLine($"ScratchNet train: {config.Name} ({config.SourceFile}) on {device.Backend.Description}");
        IReadOnlyList<SkippedRow> skipped = [];
        if (options.Bind is not null && !resuming) (config, skipped) = options.Bind(config, run);
        var data = TaskDataset.Load(config);
        var probed = ImageCheck.Probe(data, options.Strict);
        data = probed.Data;
        skipped = [.. skipped, .. probed.Skipped];
        var split = data.Split;
        log.WriteLine($"  {data.Samples.Count} images: {split.Train.Count} train / {split.Validation.Count} validation / {split.Test.Count} test" +
            (config.Data.SplitColumn is not null ? $" (by column '{config.Data.SplitColumn}')" : config.Data.GroupColumn is not null ? $" (by group '{config.Data.GroupColumn}')" : ""));
        if (skipped.Count > 0) SkippedRow.WriteCsv(run.File("skipped.csv"), skipped); // rewritten at the end with decode failures, if any
        if (probed.Summary is { } unreadable) log.WriteLine($"  warning: {unreadable} (all listed in skipped.csv; strict mode makes this an error)");
        var labelled = data.LabelledCounts(split.Train);
        log.WriteLine("  tasks: " + string.Join("; ", config.Tasks.Select(t =>
            $"{t.Name} ({ExperimentMetrics.KindName(t.Kind)}, {t.Outputs} output{(t.Outputs > 1 ? "s" : "")}, weight {t.Weight:G3}, {labelled[t.Name]} labelled train rows)")));
        if (split.Train.Count == 0 || split.Validation.Count == 0 || split.Test.Count == 0)
            throw new DataValidationException(config.Data.Csv, [new DataProblem(0, $"too few rows (or groups) for a train/validation/test split: {split.Train.Count} / {split.Validation.Count} / {split.Test.Count}")]);
        if (!resuming) WriteSplit(run.File("split.csv"), split);
        foreach (var t in config.Tasks.Where(t => labelled[t.Name] == 0))
            log.WriteLine($"  warning: task '{t.Name}' has no labelled training row; its head will not learn");
        if (!resuming)
        {
            ExperimentModel.SaveToRun(config, run.Root);
            if (File.Exists(config.SourceFile)) AtomicFile.WriteAllBytes(run.File("config.yml"), File.ReadAllBytes(config.SourceFile));
        }

        var clock = Stopwatch.StartNew();
        TaskTrainResult? trained = null;
        void Body(ITrainingProgress p) => trained = new TaskTrainer(config, run, p).Train(data, device, resuming, options.Stop);
        if (options.Progress is { } host) host(config.Train.Epochs, Body);
        else Body(new PlainProgress(log));
        var result = trained!;
        if (result.Failures.Count > 0) SkippedRow.WriteCsv(run.File("skipped.csv"), skipped.Concat(result.Failures));
        if (result.Interrupted) return new ExperimentResult(run.Root, null, 0, null, Interrupted: true, result.StoppedEarly);

        bool useBest = config.Train.EarlyStopping?.RestoreBest ?? true;
        string chosen = useBest && File.Exists(run.BestCheckpoint) ? run.BestCheckpoint : run.LastCheckpoint;
        var info = Checkpoint.ReadInfo(chosen);
        using var model = ExperimentModel.Build(config, device);
        Checkpoint.Load(chosen, model);
        var testFailures = new List<SkippedRow>();
        var (metrics, test) = TaskReport.Evaluate(model, data, device, failures: testFailures);
        var allSkipped = skipped.Concat(result.Failures).Concat(testFailures).DistinctBy(r => (r.File, r.Line, r.Reason)).ToList();
        if (allSkipped.Count > skipped.Count) SkippedRow.WriteCsv(run.File("skipped.csv"), allSkipped);
        if (testFailures.Count > 0) log.WriteLine($"  warning: {testFailures.Count} validation/test image(s) failed to decode and are not in the figures (listed in skipped.csv)");
        if (chosen == run.BestCheckpoint && metrics.Thresholds.Count > 0)
        {
            // predict reads the tuned thresholds from the checkpoint itself.
            var extra = new Dictionary<string, string>(info.Extra);
            foreach (var (k, v) in TaskReport.ThresholdExtra(metrics.Thresholds)) extra[k] = v;
            Checkpoint.Save(chosen, model, info with { Extra = extra });
        }
        var files = TaskReport.Write(run, data, metrics, test);
        log.WriteLine();
        string which = chosen == run.BestCheckpoint ? $"best epoch {info.Epoch} by validation {config.Train.Monitor}"
            : useBest ? $"no epoch had a validation {config.Train.Monitor} (the validation split has no row it can be measured on): testing the last epoch, {info.Epoch}"
            : $"last epoch {info.Epoch}";
        log.WriteLine($"{which}{(result.StoppedEarly ? " (stopped early)" : "")}; {clock.Elapsed.TotalMinutes:F1} min in all");
        log.WriteLine(metrics.Test.ToText(perClass: true));
        string checkpoints = File.Exists(run.BestCheckpoint) ? "best/last.safetensors" : "last.safetensors";
        log.WriteLine($"run directory: {run.Root} ({string.Join(", ", new[] { ExperimentModel.RunFile, "log.csv", checkpoints }.Concat(files))})");
        return new ExperimentResult(run.Root, chosen, info.Epoch, metrics, Interrupted: false, result.StoppedEarly);
    }

    /// <summary>
    /// <c>split.csv</c>: which image went to which split (<c>image,split,line</c>, line = the CSV row), so anyone can
    /// tell which files were held out and score a later model on exactly the same test images.
    /// </summary>
    private static void WriteSplit(string path, DatasetSplit split)
    {
        var sb = new System.Text.StringBuilder("image,split,line\n");
        foreach (var (name, rows) in new[] { ("train", split.Train), ("validation", split.Validation), ("test", split.Test) })
            foreach (var s in rows)
                sb.Append(CsvField.Quote(s.ImagePath)).Append(',').Append(name).Append(',').Append(s.SourceLine.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(sb.ToString()));
    }
}
