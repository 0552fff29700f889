using System.Diagnostics;
using ScratchNet.Apps.Tasks;
using ScratchNet.Apps.Tasks.Config;
using ScratchNet.Apps.Training;
using ScratchNet.Kernels;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Commands;

/// <summary>Command-line overrides of a config's train section (null = keep the config's value).</summary>
/// <param name="Epochs">train.epochs.</param>
/// <param name="BatchSize">train.batch_size.</param>
/// <param name="Lr">train.lr.</param>
/// <param name="Seed">Seeds both the split (<c>data.seed</c>) and training (<c>train.seed</c>).</param>
/// <param name="ImageSize">input.size.</param>
/// <param name="Limit">data.limit.</param>
/// <param name="NoAugment">Turns every augmentation off.</param>
internal sealed record ConfigOverrides(int? Epochs = null, int? BatchSize = null, double? Lr = null, int? Seed = null, int? ImageSize = null, int? Limit = null,
    bool NoAugment = false)
{
    /// <summary>The config with these overrides applied; a value out of range is a <see cref="ConfigException"/> naming the option.</summary>
    public ExperimentConfig Apply(ExperimentConfig c)
    {
        void Check(bool ok, string what)
        {
            if (!ok) throw new ConfigException("command line", 0, what);
        }
        Check(Epochs is null or >= 1, $"--epochs must be ≥ 1, got {Epochs}");
        Check(BatchSize is null or >= 1, $"--batch-size must be ≥ 1, got {BatchSize}");
        Check(Lr is null or > 0, $"--lr must be > 0, got {Lr}");
        Check(ImageSize is null or (>= 8 and <= 1024), $"--image-size must be 8 … 1024, got {ImageSize}");
        Check(Limit is null or >= 1, $"--limit must be ≥ 1, got {Limit}");
        return With(c);
    }

    /// <summary>
    /// Why these options cannot go with <c>--resume</c> (they would change the run; only <c>--epochs</c> may), or null
    /// when none of them is given.
    /// </summary>
    public string? ResumeRefusal()
    {
        var changed = new (string Name, object? Value)[] { ("--batch-size", BatchSize), ("--lr", Lr), ("--seed", Seed), ("--image-size", ImageSize), ("--limit", Limit),
                ("--no-augment", NoAugment ? true : null) }
            .Where(o => o.Value is not null).Select(o => o.Name).ToList();
        return changed.Count == 0 ? null
            : $"--resume continues a run exactly as it was configured; only --epochs may change, not {string.Join(", ", changed)} (start a new run for other settings)";
    }

    private ExperimentConfig With(ExperimentConfig c) => c with
    {
        Train = c.Train with
        {
            Epochs = Epochs ?? c.Train.Epochs, BatchSize = BatchSize ?? c.Train.BatchSize, Lr = Lr ?? c.Train.Lr, Seed = Seed ?? c.Train.Seed,
            Augmentation = NoAugment ? new AugmentationConfig() : c.Train.Augmentation,
        },
        Input = c.Input with { Size = ImageSize ?? c.Input.Size },
        Data = c.Data with { Limit = Limit ?? c.Data.Limit, Seed = Seed ?? c.Data.Seed },
    };
}

/// <summary>A config pointed at its data, and the rows dropped on the way (for <c>skipped.csv</c>).</summary>
internal sealed record BoundData(ExperimentConfig Config, IReadOnlyList<SkippedRow> Skipped);

/// <summary>
/// <c>scratchnet train --config FILE.yml</c>: load and check the config and its CSV (every problem reported before
/// any training), train with <see cref="TaskTrainer"/>, then score the best epoch on validation and test and write
/// the run directory (<c>experiment.json</c>, <c>config.yml</c>, <c>log.csv</c>, checkpoints, <c>metrics.json</c>,
/// plots). <c>--resume RUN_DIR</c> continues such a run exactly.
/// </summary>
internal static class ConfigTrain
{
    /// <summary>True when <paramref name="runDir"/> holds a config run (rather than a sky-preset run).</summary>
    public static bool IsConfigRun(string runDir) => File.Exists(Path.Combine(runDir, ExperimentModel.RunFile));

    /// <summary>Runs a config from a file, or resumes <paramref name="resumeDir"/>; returns the exit code.</summary>
    public static int Run(string? configPath, string? resumeDir, string deviceName, string? outDir, ConfigOverrides overrides, bool overwrite = false, bool strict = false) =>
        Run(() => resumeDir is not null
            ? ExperimentModel.LoadFromRun(resumeDir)
            : ConfigLoader.Load(configPath!), resumeDir, deviceName, outDir, overrides, overwrite, strict);

    /// <summary>
    /// Runs the config <paramref name="load"/> returns (a built-in one, say), or resumes <paramref name="resumeDir"/>.
    /// <paramref name="bind"/>, when given, points the config at its data once the run directory is locked (it may
    /// render or convert the data first). With <paramref name="strict"/> an undecodable image is fatal before training.
    /// </summary>
    public static int Run(Func<ExperimentConfig> load, string? resumeDir, string deviceName, string? outDir, ConfigOverrides overrides, bool overwrite = false,
        bool strict = false, Func<ExperimentConfig, RunDirectory, BoundData>? bind = null)
    {
        if (resumeDir is not null && overrides.ResumeRefusal() is { } refusal)
        {
            Console.Error.WriteLine($"error: {refusal}");
            return 2;
        }
        if (resumeDir is not null && (!IsConfigRun(resumeDir) || !File.Exists(Path.Combine(resumeDir, "last.safetensors"))))
        {
            // A run killed before its first checkpoint (or any other folder): nothing to continue from.
            Console.Error.WriteLine($"error: {resumeDir} is not a resumable run (needs {ExperimentModel.RunFile} and last.safetensors; start a new run instead)");
            return 2;
        }
        ExperimentConfig config;
        try
        {
            config = load();
            // On resume only the epoch count may change: everything else must stay as it was for an exact continuation.
            config = resumeDir is not null ? new ConfigOverrides(Epochs: overrides.Epochs).Apply(config) : overrides.Apply(config);
        }
        catch (ConfigException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }

        Device device;
        try { device = Device.Get(deviceName); }
        catch (DeviceNotAvailableException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }

        // The run directory first: a folder another process trains in, or an earlier run, is refused before any work.
        using var run = RunDirectory.Open(resumeDir ?? outDir ?? Path.Combine("runs", $"{config.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"),
            resumeDir is not null ? RunStart.Resume : overwrite ? RunStart.Overwrite : RunStart.New);
        Console.WriteLine($"ScratchNet train: {config.Name} ({config.SourceFile}) on {device.Backend.Description}");
        TaskDataset data;
        IReadOnlyList<SkippedRow> skipped = [];
        try
        {
            if (bind is not null && resumeDir is null) (config, skipped) = bind(config, run);
            data = TaskDataset.Load(config);
        }
        catch (Exception e) when (e is ConfigException or DataValidationException or CsvFormatException or ManifestException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        var split = data.Split;
        Console.WriteLine($"  {data.Samples.Count} images: {split.Train.Count} train / {split.Validation.Count} validation / {split.Test.Count} test" +
            (config.Data.SplitColumn is not null ? $" (by column '{config.Data.SplitColumn}')" : config.Data.GroupColumn is not null ? $" (by group '{config.Data.GroupColumn}')" : ""));
        var labelled = data.LabelledCounts(split.Train);
        Console.WriteLine("  tasks: " + string.Join("; ", config.Tasks.Select(t =>
            $"{t.Name} ({ExperimentMetrics.KindName(t.Kind)}, {t.Outputs} output{(t.Outputs > 1 ? "s" : "")}, weight {t.Weight:G3}, {labelled[t.Name]} labelled train rows)")));
        if (split.Train.Count == 0 || split.Validation.Count == 0 || split.Test.Count == 0)
        {
            Console.Error.WriteLine("error: too few rows (or groups) for a train/validation/test split");
            return 2;
        }
        if (resumeDir is null) WriteSplit(run.File("split.csv"), split);
        foreach (var t in config.Tasks.Where(t => labelled[t.Name] == 0))
            Console.WriteLine($"  warning: task '{t.Name}' has no labelled training row; its head will not learn");

        if (resumeDir is null)
        {
            ExperimentModel.SaveToRun(config, run.Root);
            if (File.Exists(config.SourceFile)) Nn.AtomicFile.WriteAllBytes(run.File("config.yml"), File.ReadAllBytes(config.SourceFile));
        }

        var stop = new CtrlCStop();
        var clock = Stopwatch.StartNew();
        TaskTrainResult? result = null;
        try
        {
            void Body(ITrainingProgress p) => result = new TaskTrainer(config, run, p).Train(data, device, resumeDir is not null, stop.Token);
            if (Console.IsOutputRedirected) Body(new PlainProgress(Console.Out));
            else ConsoleProgress.Run(config.Train.Epochs, 0, Body);
        }
        finally { stop.Dispose(); }
        if (skipped.Count + result!.Failures.Count > 0) SkippedRow.WriteCsv(run.File("skipped.csv"), skipped.Concat(result.Failures));
        if (result.Interrupted) return 130;

        bool useBest = config.Train.EarlyStopping?.RestoreBest ?? true;
        string chosen = useBest && File.Exists(run.BestCheckpoint) ? run.BestCheckpoint : run.LastCheckpoint;
        var info = Checkpoint.ReadInfo(chosen);
        using var model = ExperimentModel.Build(config, device);
        Checkpoint.Load(chosen, model);
        var (metrics, test) = TaskReport.Evaluate(model, data, device);
        if (chosen == run.BestCheckpoint && metrics.Thresholds.Count > 0)
        {
            // predict reads the tuned thresholds from the checkpoint itself.
            var extra = new Dictionary<string, string>(info.Extra);
            foreach (var (k, v) in TaskReport.ThresholdExtra(metrics.Thresholds)) extra[k] = v;
            Checkpoint.Save(chosen, model, info with { Extra = extra });
        }
        var files = TaskReport.Write(run, data, metrics, test);
        Console.WriteLine();
        string which = chosen == run.BestCheckpoint ? $"best epoch {info.Epoch} by validation {config.Train.Monitor}"
            : useBest ? $"no epoch had a validation {config.Train.Monitor} (the validation split has no row it can be measured on): testing the last epoch, {info.Epoch}"
            : $"last epoch {info.Epoch}";
        Console.WriteLine($"{which}{(result.StoppedEarly ? " (stopped early)" : "")}; {clock.Elapsed.TotalMinutes:F1} min in all");
        Console.WriteLine(metrics.Test.ToText(perClass: true));
        string checkpoints = File.Exists(run.BestCheckpoint) ? "best/last.safetensors" : "last.safetensors";
        Console.WriteLine($"run directory: {run.Root} ({string.Join(", ", new[] { ExperimentModel.RunFile, "log.csv", checkpoints }.Concat(files))})");
        return 0;
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
                sb.Append(Nn.Data.CsvField.Quote(s.ImagePath)).Append(',').Append(name).Append(',').Append(s.SourceLine.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        Nn.AtomicFile.WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(sb.ToString()));
    }
}
