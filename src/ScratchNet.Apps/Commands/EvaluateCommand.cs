using System.CommandLine;
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
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors with its .json sidecar)", Required = true };
        var csv = new Option<string>("--csv") { Description = "AQI CSV (columns Filename, AQI)", Required = true };
        var images = new Option<string>("--images") { Description = "Folder of the CSV's images", Required = true };
        var negatives = new Option<string?>("--negatives") { Description = "Folder of non-sky photos" };
        var outDir = new Option<string?>("--out") { Description = "Write metrics.json and the plots here" };
        var device = CommonOptions.Device();
        var strict = new Option<bool>("--strict") { Description = "Bad rows are fatal" };
        var command = new Command("evaluate", "Evaluate a sky/AQI checkpoint on a labelled set") { model, csv, images, negatives, outDir, device, strict };
        command.SetAction(r =>
        {
            try
            {
                var dev = Device.Get(r.GetValue(device)!);
                string path = r.GetValue(model)!;
                var info = Checkpoint.ReadInfo(path);
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
            catch (Exception e) when (e is ManifestException or CsvFormatException or CheckpointFormatException or DeviceNotAvailableException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
