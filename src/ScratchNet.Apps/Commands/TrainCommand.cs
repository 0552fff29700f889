using ScratchNet.Apps.Datasets.Sky;
using System.CommandLine;
using ScratchNet.Nn.Experiments;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet train</c>: every run is an experiment config trained by one engine (<see cref="ConfigTrain"/>).
/// With no arguments, the built-in sky/AQI experiment (examples/sky.yml) on the synthetic set (rendered once, cached
/// under <c>data/</c>); <c>--preset seed</c> is seed 000 exactly (examples/sky-seed.yml); <c>--csv/--images/--negatives</c>
/// point either at the real dataset's layout; <c>--config FILE</c> trains any experiment; <c>--resume RUN_DIR</c>
/// continues an interrupted run exactly.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "demo (small images, finishes in minutes on a CPU) or seed (seed 000: 224x224, 100 epochs, lr 1e-4)", DefaultValueFactory = _ => "demo" };
        preset.AcceptOnlyFromAmong("demo", "seed");
        var device = CommonOptions.Device();
        var epochs = new Option<int?>("--epochs") { Description = "Epochs" };
        var imageSize = new Option<int?>("--image-size") { Description = "Training image size (square)" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Batch size" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate" };
        var outDir = new Option<string?>("--out") { Description = "Run directory (default runs/<experiment name>-<date-time>)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the split (data.seed), initialisation, shuffling, augmentation and dropout (train.seed); for the built-in experiment also of the synthetic set" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this directory from its last.safetensors" };
        var csv = new Option<string?>("--csv") { Description = "Real data: the AQI CSV (columns Filename, AQI; others ignored)" };
        var images = new Option<string?>("--images") { Description = "Folder of the CSV's images" };
        var negatives = new Option<string?>("--negatives") { Description = "Folder of non-sky photos (is_sky = 0, AQI = -1)" };
        var count = new Option<int?>("--count") { Description = "Synthetic set: sky images (as many negatives)" };
        var strict = new Option<bool>("--strict") { Description = "Bad rows and undecodable images are fatal before training (default: skipped and listed in skipped.csv)" };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train without augmentation (every transform of train.augmentation off)" };
        var config = new Option<string?>("--config") { Description = "Train the multi-task experiment described by this YAML file (see docs/config.md); --epochs, --batch-size, --lr, --seed, --image-size, --out override it" };
        var limit = new Option<int?>("--limit") { Description = "With --config: use only the first N rows of the CSV (quick trials)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the run already in --out (its checkpoints, log and metrics are deleted first); without it such an --out is refused" };
        var command = new Command("train", "Train the built-in sky/AQI experiment (generates the synthetic dataset if needed), seed 000's exact model (--preset seed, --csv), or any multi-task experiment (--config)")
            { preset, device, epochs, imageSize, batchSize, lr, outDir, seed, resume, csv, images, negatives, count, strict, noAugment, config, limit, overwrite };
        command.SetAction((r, ct) =>
        {
            string? resumeDir = r.GetValue(resume);
            var overrides = new ConfigOverrides(r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(seed), r.GetValue(imageSize), r.GetValue(limit),
                NoAugment: r.GetValue(noAugment));
            string deviceName = r.GetValue(device)!;
            bool replace = r.GetValue(overwrite);
            // Options that describe the built-in experiment's data: a config or a resumed run has its own.
            var builtinOnly = new (string Name, bool Given)[]
            {
                ("--preset", r.GetResult(preset) is { Implicit: false }), ("--csv", r.GetValue(csv) is not null), ("--images", r.GetValue(images) is not null),
                ("--negatives", r.GetValue(negatives) is not null), ("--count", r.GetValue(count) is not null),
            }.Where(o => o.Given).Select(o => o.Name).ToList();
            if (resumeDir is not null)
            {
                if (!ConfigTrain.IsConfigRun(resumeDir) && File.Exists(Path.Combine(resumeDir, "config.json")))
                    return Task.FromResult(UserErrors.Fail($"{resumeDir} was trained by the seed-model trainer of earlier versions, which is gone; its best.safetensors still works with predict and evaluate, but it cannot be resumed (start a new run with --preset seed)"));
                if (builtinOnly.Count > 0)
                    return Task.FromResult(UserErrors.Fail($"--resume continues a run with its own data; {string.Join(", ", builtinOnly)} cannot change it"));
                return Task.FromResult(ConfigTrain.Run(null, resumeDir, deviceName, r.GetValue(outDir), overrides, replace, r.GetValue(strict)));
            }
            if (r.GetValue(config) is string file)
            {
                if (builtinOnly.Count > 0)
                    return Task.FromResult(UserErrors.Fail($"--config describes its own data and model; {string.Join(", ", builtinOnly)} belong to the built-in sky experiment (put them in the config's data: section)"));
                return Task.FromResult(ConfigTrain.Run(file, null, deviceName, r.GetValue(outDir), overrides, replace, r.GetValue(strict)));
            }
            if (r.GetValue(limit) is not null)
                return Task.FromResult(UserErrors.Fail("--limit goes with --config (the built-in experiment takes --count for the synthetic set's size)"));
            bool seedPreset = r.GetValue(preset) == "seed";
            var name = seedPreset ? BuiltinConfigs.SkySeed : BuiltinConfigs.Sky;
            var source = r.GetValue(csv) is string csvPath
                ? SkyData.Real(csvPath, r.GetValue(images), r.GetValue(negatives), r.GetValue(strict))
                : r.GetValue(images) is not null || r.GetValue(negatives) is not null
                    ? new SkyData { Problem = "--images and --negatives go with --csv (seed 000's AQI CSV); without --csv the synthetic set is used" }
                    : SkyData.Synthetic(r.GetValue(count) ?? (seedPreset ? 12240 : 5000), seedPreset ? 224 : 96, r.GetValue(seed) ?? 0);
            if (source.Problem is string problem) return Task.FromResult(UserErrors.Fail(problem));
            Console.WriteLine(seedPreset
                ? $"seed 000's exact model and setting (examples/sky-seed.yml: 224 px, 100 epochs, Adam lr 1e-4), PyTorch state-dict names, on {source.Description}"
                : $"the built-in sky/AQI experiment (examples/sky.yml) on {source.Description}, {r.GetValue(epochs) ?? 60} epochs; " +
                  "7 min on a 2-core Zen 4, 20 min on a 2-core first-generation Zen for the defaults (plus ~30-50 s to render the images the first time; each epoch line says how long the rest should take). --preset seed trains seed 000's exact model at its full setting.");
            return Task.FromResult(ConfigTrain.Run(() => BuiltinConfigs.Load(name), null, deviceName, r.GetValue(outDir), overrides, replace, r.GetValue(strict), source.Bind));
        });
        return command;
    }
}
