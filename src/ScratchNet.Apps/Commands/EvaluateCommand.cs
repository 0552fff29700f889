using System.CommandLine;
using ScratchNet.Apps.Tasks;
using ScratchNet.Apps.Tasks.Config;
using ScratchNet.Apps.Training;
using ScratchNet.Kernels;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Losses;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Commands;

/// <summary><c>scratchnet evaluate --model CKPT --csv … --images … [--negatives …]</c>: seed 000's metrics table on a labelled set.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors written by scratchnet train, e.g. RUN_DIR/best.safetensors)", Required = true };
        var csv = new Option<string?>("--csv") { Description = "Labelled CSV: for the sky model the AQI CSV (columns Filename, AQI); for a config-trained model a CSV with the experiment's columns (default: the experiment's own test split)" };
        var images = new Option<string?>("--images") { Description = "Folder of the CSV's images (config-trained model: default the CSV's folder)" };
        var negatives = new Option<string?>("--negatives") { Description = "Folder of non-sky photos" };
        var outDir = new Option<string?>("--out") { Description = "Write metrics.json and the plots here" };
        var device = CommonOptions.Device();
        var strict = new Option<bool>("--strict") { Description = "Bad rows are fatal" };
        var command = new Command("evaluate", "Evaluate a checkpoint (sky/AQI or config-trained) on a labelled set") { model, csv, images, negatives, outDir, device, strict };
        command.SetAction(r =>
        {
            try
            {
                var dev = Device.Get(r.GetValue(device)!);
                string path = r.GetValue(model)!;
                var info = Checkpoint.ReadInfo(path);
                if (info.ModelKind == ExperimentModel.Kind) return EvaluateConfigModel(path, dev, r.GetValue(csv), r.GetValue(images), r.GetValue(outDir));
                if (r.GetValue(csv) is null || r.GetValue(images) is null)
                {
                    Console.Error.WriteLine("error: the sky/AQI model is evaluated on --csv FILE --images DIR [--negatives DIR]");
                    return 2;
                }
                if (info.ModelKind != SkyTrainer.ModelKind)
                {
                    Console.Error.WriteLine($"error: {path} is a '{info.ModelKind}' checkpoint; evaluate expects the sky/AQI model ({SkyTrainer.ModelKind})");
                    return 2;
                }
                var manifest = SkyAqiManifest.Load(r.GetValue(csv)!, r.GetValue(images)!, r.GetValue(negatives), new SkyAqiManifestOptions { Strict = r.GetValue(strict) });
                if (manifest.Skipped.Count > 0) Console.WriteLine($"skipped {manifest.Skipped.Count} bad row(s); first: {manifest.Skipped[0]}");
                using var net = new MultiTaskCnn(DType.Float32, dev);
                Checkpoint.Load(path, net);
                using var loader = new DataLoader(manifest.Samples, new DataLoaderOptions { ImageSize = info.ImageSize, BatchSize = 64, Shuffle = false });
                var predictions = SkyModelRunner.Predict(net, loader, dev, new MultiDomainLoss());
                var metrics = predictions.Metrics();
                Console.WriteLine(metrics.ToText());
                if (r.GetValue(outDir) is string o)
                {
                    var run = new RunDirectory(o);
                    SkyReport.Write(run, predictions);
                    if (manifest.Skipped.Count > 0 || loader.Failures.Count > 0) SkippedRow.WriteCsv(run.File("skipped.csv"), manifest.Skipped.Concat(loader.Failures));
                    Console.WriteLine($"wrote {run.File("metrics.json")} and plots");
                }
                return 0;
            }
            catch (Exception e) when (e is ManifestException or CsvFormatException or CheckpointFormatException or DeviceNotAvailableException or IOException
                or ConfigException or DataValidationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    // A config-trained model: per-task metrics on the experiment's test split, or on every row of another CSV.
    private static int EvaluateConfigModel(string path, Device dev, string? csv, string? images, string? outDir)
    {
        using var predictor = new TaskPredictor(path, dev);
        var config = predictor.Config;
        if (csv is not null)
        {
            string full = Path.GetFullPath(csv);
            config = config with
            {
                Data = config.Data with
                {
                    Csv = full, Images = Path.GetFullPath(images ?? Path.GetDirectoryName(full)!), SplitColumn = null, SplitRatios = [0, 0, 1], Limit = null,
                },
            };
        }
        else if (!File.Exists(config.Data.Csv))
        {
            Console.Error.WriteLine($"error: the experiment's CSV {config.Data.Csv} is gone; pass --csv FILE with the same columns");
            return 2;
        }
        var data = TaskDataset.Load(config);
        var (metrics, test) = TaskReport.Evaluate(predictor.Model, data, dev, predictor.Thresholds);
        if (metrics.Validation.SampleCount > 0) Console.WriteLine(metrics.Validation.ToText());
        Console.WriteLine(metrics.Test.ToText(perClass: true));
        if (outDir is not null)
        {
            var run = new RunDirectory(outDir);
            var files = TaskReport.Write(run, data, metrics, test);
            Console.WriteLine($"wrote {string.Join(", ", files)} in {run.Root}");
        }
        return 0;
    }
}
