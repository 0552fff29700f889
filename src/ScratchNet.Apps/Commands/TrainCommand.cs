using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Apps.Tasks.Config;
using ScratchNet.Apps.Training;
using ScratchNet.Kernels;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Losses;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet train</c>: with no arguments, generates the synthetic sky/AQI set (once; cached under
/// <c>data/</c>) and trains seed 000's model on it; <c>--csv/--images/--negatives</c> train on the real dataset's
/// layout instead; <c>--resume RUN_DIR</c> continues an interrupted run exactly.
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
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate" };
        var outDir = new Option<string?>("--out") { Description = "Run directory (default runs/sky-<date-time>)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of init, split, shuffling, augmentation, dropout" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this directory from its last.safetensors" };
        var csv = new Option<string?>("--csv") { Description = "Real data: the AQI CSV (columns Filename, AQI; others ignored)" };
        var images = new Option<string?>("--images") { Description = "Folder of the CSV's images" };
        var negatives = new Option<string?>("--negatives") { Description = "Folder of non-sky photos (is_sky = 0, AQI = -1)" };
        var count = new Option<int?>("--count") { Description = "Synthetic set: sky images (as many negatives)" };
        var strict = new Option<bool>("--strict") { Description = "Bad rows and undecodable images are fatal before training (default: skipped and listed in skipped.csv)" };
        var noAugment = new Option<bool>("--no-augment") { Description = "Disable flip/brightness augmentation" };
        var config = new Option<string?>("--config") { Description = "Train the multi-task experiment described by this YAML file (see docs/config.md); --epochs, --batch-size, --lr, --seed, --image-size, --out override it" };
        var limit = new Option<int?>("--limit") { Description = "With --config: use only the first N rows of the CSV (quick trials)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the run already in --out (its checkpoints, log and metrics are deleted first); without it such an --out is refused" };
        var command = new Command("train", "Train the built-in sky/AQI experiment (generates the synthetic dataset if needed), seed 000's exact model (--preset seed, --csv), or any multi-task experiment (--config)")
            { preset, device, epochs, imageSize, batchSize, lr, outDir, seed, resume, csv, images, negatives, count, strict, noAugment, config, limit, overwrite };
        command.SetAction((r, ct) =>
        {
            string? resumeDir = r.GetValue(resume);
            var overrides = new ConfigOverrides(r.GetValue(epochs), r.GetValue(batchSize), r.GetValue(lr), r.GetValue(seed), r.GetValue(imageSize), r.GetValue(limit));
            if (r.GetValue(config) is not null || (resumeDir is not null && ConfigTrain.IsConfigRun(resumeDir)))
                return Task.FromResult(ConfigTrain.Run(r.GetValue(config), resumeDir, r.GetValue(device)!, r.GetValue(outDir), overrides, r.GetValue(overwrite)));
            // The default: the built-in sky/AQI config on the synthetic set (the seed-model trainer below serves
            // --preset seed and the real dataset's layout, --csv).
            if (resumeDir is null && r.GetValue(preset) == "demo" && r.GetValue(csv) is null)
            {
                int images = r.GetValue(count) ?? 5000;
                Console.WriteLine($"the built-in sky/AQI experiment (examples/sky.yml): {images}+{images} synthetic images, {r.GetValue(epochs) ?? 60} epochs; " +
                    "7 min on a 2-core Zen 4, 20 min on a 2-core first-generation Zen for the defaults (plus ~30-50 s to render the images the first time; each epoch line says how long the rest should take). --preset seed trains seed 000's exact model at its full setting.");
                return Task.FromResult(ConfigTrain.Run(() => BuiltinSky(r.GetValue(count) ?? 5000, r.GetValue(seed) ?? 0), null, r.GetValue(device)!,
                    r.GetValue(outDir) ?? Path.Combine("runs", "sky-" + DateTime.Now.ToString("yyyyMMdd-HHmmss")), overrides, r.GetValue(overwrite)));
            }
            return Task.FromResult(Run(r, preset, device, epochs, imageSize, batchSize, lr, outDir, seed, resume, csv, images, negatives, count, strict, noAugment, r.GetValue(overwrite)));
        });
        return command;
    }

    private static int Run(ParseResult r, Option<string> preset, Option<string> device, Option<int?> epochs, Option<int?> imageSize, Option<int?> batchSize,
        Option<double?> lr, Option<string?> outDir, Option<int?> seed, Option<string?> resume, Option<string?> csv, Option<string?> images,
        Option<string?> negatives, Option<int?> count, Option<bool> strict, Option<bool> noAugment, bool overwriteRun)
    {
        string? resumeDir = r.GetValue(resume);
        TrainSettings settings;
        if (resumeDir is not null)
        {
            var config = Path.Combine(resumeDir, "config.json");
            if (!File.Exists(config) || !File.Exists(Path.Combine(resumeDir, "last.safetensors")))
            {
                Console.Error.WriteLine($"error: {resumeDir} is not a resumable run (needs config.json and last.safetensors)");
                return 2;
            }
            if (new ConfigOverrides(BatchSize: r.GetValue(batchSize), Lr: r.GetValue(lr), Seed: r.GetValue(seed), ImageSize: r.GetValue(imageSize)).ResumeRefusal() is { } refusal)
            {
                Console.Error.WriteLine($"error: {refusal}");
                return 2;
            }
            settings = JsonSerializer.Deserialize<TrainSettings>(File.ReadAllText(config))!;
            // Only the epoch count may grow on resume; everything else must stay as it was for an exact continuation.
            if (r.GetValue(epochs) is int more) settings = settings with { Epochs = more };
            settings = settings with { Device = r.GetValue(device) ?? settings.Device };
        }
        else
        {
            settings = r.GetValue(preset) == "seed" ? TrainSettings.SeedPreset : new TrainSettings();
            settings = settings with
            {
                Device = r.GetValue(device)!,
                Epochs = r.GetValue(epochs) ?? settings.Epochs,
                ImageSize = r.GetValue(imageSize) ?? settings.ImageSize,
                BatchSize = r.GetValue(batchSize) ?? settings.BatchSize,
                LearningRate = r.GetValue(lr) ?? settings.LearningRate,
                Seed = r.GetValue(seed) ?? settings.Seed,
                OutDir = r.GetValue(outDir) ?? Path.Combine("runs", "sky-" + DateTime.Now.ToString("yyyyMMdd-HHmmss")),
                Csv = r.GetValue(csv), Images = r.GetValue(images), Negatives = r.GetValue(negatives),
                SyntheticCount = r.GetValue(count) ?? settings.SyntheticCount,
                Strict = r.GetValue(strict),
                Augment = settings.Augment && !r.GetValue(noAugment),
            };
        }
        if (settings.Epochs < 1 || settings.ImageSize < 8 || settings.BatchSize < 1 || settings.LearningRate <= 0 || settings.SyntheticCount < 10)
        {
            Console.Error.WriteLine("error: --epochs, --batch-size must be ≥ 1, --image-size ≥ 8, --lr > 0, --count ≥ 10");
            return 2;
        }
        if (settings.Csv is not null && settings.Images is null)
        {
            Console.Error.WriteLine("error: --csv needs --images (the folder its Filename column refers to)");
            return 2;
        }

        Device dev;
        try { dev = Device.Get(settings.Device); }
        catch (DeviceNotAvailableException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }

        using var run = RunDirectory.Open(resumeDir ?? settings.OutDir, resumeDir is not null ? RunStart.Resume : overwriteRun ? RunStart.Overwrite : RunStart.New);
        settings = settings with { OutDir = run.Root };
        Console.WriteLine($"ScratchNet train ({settings.Preset} preset) on {dev.Backend.Description}");
        if (settings.Preset == "demo" && settings.Csv is null && resumeDir is null)
            Console.WriteLine($"  demo: {settings.SyntheticCount}+{settings.SyntheticCount} synthetic images at {settings.ImageSize}px, {settings.Epochs} epochs, batch {settings.BatchSize}, Adam lr {settings.LearningRate:G3} wd {settings.WeightDecay:G3}; 7-20 minutes on a 2-core CPU (plus ~1 minute to render the data the first time; each epoch line says how long the rest should take). --preset seed gives seed 000's full setting.");

        // ---- data
        SampleManifest manifest;
        try
        {
            manifest = LoadManifest(settings);
        }
        catch (Exception e) when (e is ManifestException or CsvFormatException or ImageDecodeException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        if (manifest.Skipped.Count > 0)
        {
            SkippedRow.WriteCsv(run.File("skipped.csv"), manifest.Skipped);
            Console.WriteLine($"  skipped {manifest.Skipped.Count} bad row(s), listed in {run.File("skipped.csv")}; first: {manifest.Skipped[0]}");
        }
        var split = DatasetSplitter.Split(manifest.Samples, settings.SplitRatios[0], settings.SplitRatios[1], settings.SplitRatios[2], settings.Seed);
        Console.WriteLine($"  {manifest.Samples.Count} images: {split.Train.Count} train / {split.Validation.Count} validation / {split.Test.Count} test, split by station and time group");
        if (split.Train.Count == 0 || split.Validation.Count == 0 || split.Test.Count == 0)
        {
            Console.Error.WriteLine("error: too few images (or groups) for a train/validation/test split");
            return 2;
        }
        run.WriteJson("config.json", settings);

        // ---- train (Ctrl-C: finish the batch, save last, exit)
        var stop = new CtrlCStop();
        var clock = Stopwatch.StartNew();
        List<EpochRecord> records = new();
        var trainer = default(SkyTrainer);
        try
        {
            void Body(ITrainingProgress p)
            {
                trainer = new SkyTrainer(settings, run, p);
                records = trainer.Train(split, dev, resumeDir is not null, stop.Token);
            }
            if (Console.IsOutputRedirected) Body(new PlainProgress(Console.Out));
            else ConsoleProgress.Run(settings.Epochs, 0, Body);
        }
        finally
        {
            stop.Dispose();
        }
        if (trainer!.RunFailures.Count > 0)
            SkippedRow.WriteCsv(run.File("skipped.csv"), manifest.Skipped.Concat(trainer.RunFailures));
        if (stop.Token.IsCancellationRequested) return 130;

        // ---- test with the best checkpoint (a validation split without sky images has no sky-MAE to rank
        // epochs by: then the last epoch is used, and we say so)
        string chosen = run.BestCheckpoint;
        if (!File.Exists(chosen))
        {
            chosen = run.LastCheckpoint;
            Console.WriteLine("  the validation split has no sky images, so no epoch was ranked by sky-MAE; testing the last epoch");
        }
        var info = Checkpoint.ReadInfo(chosen);
        using var model = new MultiTaskCnn(DType.Float32, dev);
        Checkpoint.Load(chosen, model);
        using var testLoader = new DataLoader(split.Test, new DataLoaderOptions { ImageSize = settings.ImageSize, BatchSize = 64, Shuffle = false });
        var test = SkyModelRunner.Predict(model, testLoader, dev, new MultiDomainLoss(regressionScale: settings.RegressionScale));
        var metrics = SkyReport.Write(run, test);
        var trainSky = split.Train.Where(s => s.Targets[SkyModelRunner.IsSkySlot] == 1).Select(s => s.Targets[SkyModelRunner.AqiSlot]).ToArray();
        double trainMean = trainSky.Length > 0 ? trainSky.Average() : 0;
        var testSky = Enumerable.Range(0, test.IsSkyTrue.Length).Where(i => test.IsSkyTrue[i] == 1).Select(i => test.AqiTrue[i]).ToArray();
        var baseline = testSky.Length > 0 ? ScratchNet.Nn.Metrics.RegressionMetrics.Baseline(testSky, trainMean) : null;
        Console.WriteLine();
        Console.WriteLine($"test split, {(chosen == run.BestCheckpoint ? "best epoch" : "last epoch")} {info.Epoch}{(chosen == run.BestCheckpoint ? " (by validation sky-MAE)" : "")}, {clock.Elapsed.TotalMinutes:F1} min total:");
        Console.WriteLine(metrics.ToText());
        if (baseline is not null && metrics.Aqi is not null)
            Console.WriteLine($"baseline (always the training mean AQI {trainMean:F1}): MAE {baseline.Mae:F2}; model MAE / baseline MAE = {metrics.Aqi.Mae / baseline.Mae:F3}");
        Console.WriteLine($"run directory: {run.Root} (config.json, log.csv, best/last.safetensors, metrics.json, curves.png, aqi_scatter.png, is_sky_confusion.png, aqi_band_confusion.png)");
        return 0;
    }

    /// <summary>
    /// The built-in sky/AQI experiment (<c>examples/sky.yml</c>, embedded) pointed at the synthetic set, which is
    /// rendered first if it is not cached under <c>data/</c>.
    /// </summary>
    private static ExperimentConfig BuiltinSky(int count, int seed)
    {
        const int size = 96;
        if (count < 10) throw new ConfigException("command line", 0, $"--count must be ≥ 10, got {count}");
        string dir = Path.GetFullPath(Path.Combine("data", $"sky-synthetic-n{count}-s{size}-seed{seed}"));
        string samples = Path.Combine(dir, SkyDatasetGenerator.SamplesFileName);
        if (!SkyDatasetGenerator.IsComplete(dir) || !File.Exists(samples))
        {
            if (DataCommand.Generate(new SkyDatasetOptions { OutDir = dir, Count = count, Size = size, Seed = seed }) is null)
                throw new ConfigException("builtin:sky", 0, $"could not generate the synthetic dataset in {dir}");
        }
        else Console.WriteLine($"  using the cached synthetic dataset {dir}");
        using var yaml = typeof(TrainCommand).Assembly.GetManifestResourceStream("builtin/sky.yml")
            ?? throw new InvalidOperationException("the built-in sky config is missing from the assembly");
        var config = ConfigLoader.Parse(new StreamReader(yaml).ReadToEnd(), "builtin:sky", dir, checkFiles: false);
        return config with { SourceFile = "builtin:sky (examples/sky.yml)", Data = config.Data with { Csv = samples, Images = dir } };
    }

    private static SampleManifest LoadManifest(TrainSettings settings)
    {
        var options = new SkyAqiManifestOptions { Strict = settings.Strict, VerifyDecode = settings.Strict };
        if (settings.Csv is not null)
            return SkyAqiManifest.Load(settings.Csv, settings.Images!, settings.Negatives, options);
        string dir = Path.Combine(settings.DataDir, $"sky-synthetic-n{settings.SyntheticCount}-s{settings.SyntheticSize}-seed{settings.Seed}");
        if (!SkyDatasetGenerator.IsComplete(dir))
        {
            if (DataCommand.Generate(new SkyDatasetOptions { OutDir = dir, Count = settings.SyntheticCount, Size = settings.SyntheticSize, Seed = settings.Seed }) is null)
                throw new IOException($"could not generate the synthetic dataset in {dir}");
        }
        else Console.WriteLine($"  using the cached synthetic dataset {dir}");
        return SkyAqiManifest.Load(Path.Combine(dir, SkyDatasetGenerator.CsvFileName), Path.Combine(dir, SkyDatasetGenerator.SkyFolder),
            Path.Combine(dir, SkyDatasetGenerator.NegativesFolder), options);
    }
}
