using System.CommandLine;
using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Kernels;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Losses;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet evaluate --model CKPT [--csv FILE [--images DIR] [--negatives DIR]]</c>: every task's metrics on the
/// experiment's own test split, or on every row of a labelled CSV with the experiment's columns (or seed 000's AQI layout).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors written by scratchnet train) or a run folder (its best.safetensors)", Required = true };
        var csv = new Option<string?>("--csv") { Description = "Labelled CSV with the experiment's columns, or seed 000's AQI CSV (Filename, AQI) for a sky model; every row is scored (default: the experiment's own test split)" };
        var images = new Option<string?>("--images") { Description = "Folder of the CSV's images (default: the CSV's folder)" };
        var negatives = new Option<string?>("--negatives") { Description = "With seed 000's AQI CSV: a folder of non-sky photos (is_sky = not_sky)" };
        var outDir = new Option<string?>("--out") { Description = "Write metrics.json and the plots here" };
        var device = CommonOptions.Device();
        var strict = new Option<bool>("--strict") { Description = "Bad rows are fatal" };
        var command = new Command("evaluate", "Score a trained model on its test split or on a labelled CSV") { model, csv, images, negatives, outDir, device, strict };
        command.SetAction(r =>
        {
            try
            {
                var dev = Device.Get(r.GetValue(device)!);
                string? file = r.GetValue(csv);
                if (file is null && (r.GetValue(images) is not null || r.GetValue(negatives) is not null))
                    return UserErrors.Fail("--images and --negatives describe the rows of --csv FILE; without --csv the experiment's own test split is scored");
                return Evaluate(RunDirectory.ModelIn(r.GetValue(model)!), dev, file, r.GetValue(images), r.GetValue(negatives), r.GetValue(outDir), r.GetValue(strict));
            }
            catch (Exception e) when (UserErrors.IsUserError(e) || e is FileNotFoundException)
            {
                return UserErrors.Report(e);
            }
        });
        return command;
    }

    // Per-task metrics on the experiment's test split, or on every row of another CSV (seed 000's AQI layout too).
    private static int Evaluate(string path, Device dev, string? csv, string? images, string? negatives, string? outDir, bool strict)
    {
        using var predictor = new TaskPredictor(path, dev, BuiltinConfigs.LegacyModel);
        var config = predictor.Config;
        string? converted = null;
        if (csv is not null && (negatives is not null || SkyAqiManifest.IsSeedLayout(csv)))
        {
            // Seed 000's layout (Filename, AQI + a folder of non-sky photos) as the experiment's image,is_sky,aqi rows.
            if (images is null) return UserErrors.Fail("seed 000's AQI CSV needs --images (the folder its Filename column refers to)");
            var manifest = SkyAqiManifest.Load(csv, images, negatives, new SkyAqiManifestOptions { Strict = strict, VerifyDecode = strict });
            if (manifest.Skipped.Count > 0) Console.WriteLine($"skipped {manifest.Skipped.Count} bad row(s) of {csv}; first: {manifest.Skipped[0]}");
            converted = Path.Combine(Path.GetTempPath(), $"scratchnet-evaluate-{Environment.ProcessId}.csv");
            SkyAqiSamples.Write(converted, manifest);
            images = Path.GetTempPath(); // the converted rows hold absolute paths
        }
        try
        {
            return Evaluate(predictor, dev, converted ?? csv, csv, images, outDir, strict);
        }
        finally
        {
            if (converted is not null) File.Delete(converted);
        }
    }

    private static int Evaluate(TaskPredictor predictor, Device dev, string? csv, string? shownCsv, string? images, string? outDir, bool strict)
    {
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
        var probed = ImageCheck.Probe(TaskDataset.Load(config), strict);
        var data = probed.Data;
        Console.WriteLine(csv is not null
            ? $"scoring every row of {shownCsv} ({data.Samples.Count} images) with {predictor.CheckpointPath}"
            : $"scoring the experiment's test split ({data.Split.Test.Count} images, as split.csv lists them) with {predictor.CheckpointPath}");
        if (probed.Summary is { } unreadable) Console.WriteLine($"warning: {unreadable}{(outDir is null ? "" : " (all listed in skipped.csv)")}; --strict makes this an error");
        var failures = new List<SkippedRow>(probed.Skipped);
        var (metrics, test) = TaskReport.Evaluate(predictor.Model, data, dev, predictor.Thresholds, failures: failures);
        if (failures.Count > probed.Skipped.Count)
            Console.WriteLine($"warning: {failures.Count - probed.Skipped.Count} image(s) failed to decode and are not in the figures; first: {failures[probed.Skipped.Count]}");
        if (metrics.Validation.SampleCount > 0) Console.WriteLine(metrics.Validation.ToText());
        Console.WriteLine(metrics.Test.ToText(perClass: true));
        if (outDir is not null)
        {
            var run = new RunDirectory(outDir);
            var files = TaskReport.Write(run, data, metrics, test);
            if (failures.Count > 0)
            {
                SkippedRow.WriteCsv(run.File("skipped.csv"), failures);
                files.Add("skipped.csv");
            }
            Console.WriteLine($"wrote {string.Join(", ", files)} in {run.Root}");
        }
        return 0;
    }
}
