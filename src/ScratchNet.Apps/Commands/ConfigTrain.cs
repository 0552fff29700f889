using ScratchNet.Apps.Training;
using System.Diagnostics;
using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
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

/// <summary>
/// <c>scratchnet train --config FILE.yml</c> (and the built-in presets): the command-line side of
/// <see cref="Experiment.Train"/> — the device by name, live progress bars on a terminal, Ctrl-C/SIGTERM as "stop and
/// save", exit codes. <c>--resume RUN_DIR</c> continues such a run exactly.
/// </summary>
internal static class ConfigTrain
{
    /// <summary>True when <paramref name="runDir"/> holds a config run (rather than a pre-config seed-model run).</summary>
    public static bool IsConfigRun(string runDir) => File.Exists(Path.Combine(runDir, ExperimentModel.RunFile));

    /// <summary>Runs a config from a file, or resumes <paramref name="resumeDir"/>; returns the exit code.</summary>
    public static int Run(string? configPath, string? resumeDir, string deviceName, string? outDir, ConfigOverrides overrides, bool overwrite = false, bool strict = false) =>
        Run(() => ConfigLoader.Load(configPath!), resumeDir, deviceName, outDir, overrides, overwrite, strict);

    /// <summary>
    /// Runs the config <paramref name="load"/> returns (a built-in one, say), or resumes <paramref name="resumeDir"/>.
    /// <paramref name="bind"/>, when given, points the config at its data once the run directory is locked (it may
    /// render or convert the data first). User errors propagate to <see cref="UserErrors"/> (one line, exit 2).
    /// </summary>
    public static int Run(Func<ExperimentConfig> load, string? resumeDir, string deviceName, string? outDir, ConfigOverrides overrides, bool overwrite = false,
        bool strict = false, Func<ExperimentConfig, RunDirectory, BoundData>? bind = null)
    {
        if (resumeDir is not null && overrides.ResumeRefusal() is { } refusal)
            return UserErrors.Fail(refusal);
        // On resume only the epoch count may change: everything else must stay as it was for an exact continuation.
        var experiment = resumeDir is not null ? Experiment.Resume(resumeDir, overrides.Epochs) : new Experiment(overrides.Apply(load()));
        var device = Device.Get(deviceName);
        var stop = new CtrlCStop();
        try
        {
            var result = experiment.Train(new TrainOptions
            {
                OutDir = outDir, Device = device, Overwrite = overwrite, Strict = strict, Stop = stop.Token, Bind = bind,
                Progress = (epochs, body) =>
                {
                    // The signals mean "stop and save" only while the loop runs; during the test they end the process.
                    try
                    {
                        if (Console.IsOutputRedirected) body(new PlainProgress(Console.Out));
                        else ConsoleProgress.Run(epochs, 0, body);
                    }
                    finally { stop.Dispose(); }
                },
            });
            return result.Interrupted ? 130 : 0;
        }
        finally { stop.Dispose(); }
    }
}
