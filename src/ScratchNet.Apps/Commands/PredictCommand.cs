using ScratchNet.Apps.Datasets.Sky;
using System.CommandLine;
using System.Text.Json;
using ScratchNet.Nn.Experiments;
using ScratchNet.Kernels;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Metrics;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet predict --model CKPT INPUT… [--csv OUT] [--json]</c>: for each image, every task's answer
/// (<see cref="TaskPredictor"/>): for the sky model the probability that it is a sky photo and, only if it is, the
/// AQI and its US EPA band. An input is an image, a folder (every image under it) or a CSV (its image column).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors written by scratchnet train) or a run folder (its best.safetensors)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON (one array) instead of text" };
        var csvOut = new Option<string?>("--csv") { Description = "Write the predictions to this CSV (one row per image; a column per task, its probabilities and band)" };
        var images = new Option<string?>("--images") { Description = "For CSV inputs: the folder their image paths are relative to (default: the CSV's folder)" };
        var device = CommonOptions.Device();
        var inputs = new Argument<string[]>("inputs") { Description = "Image files (JPEG, PNG, BMP, WebP, GIF), folders of them (searched recursively) or CSV files with an image column", Arity = ArgumentArity.OneOrMore };
        var command = new Command("predict", "Answer a trained model's tasks for images (sky/AQI, or any config-trained model)") { model, json, csvOut, images, device, inputs };
        command.SetAction(r =>
        {
            try
            {
                var dev = Device.Get(r.GetValue(device)!);
                return Predict(RunDirectory.ModelIn(r.GetValue(model)!), dev, r.GetValue(inputs)!, r.GetValue(images), r.GetValue(json), r.GetValue(csvOut));
            }
            catch (Exception e) when (UserErrors.IsUserError(e) || e is FileNotFoundException)
            {
                return UserErrors.Report(e);
            }
        });
        return command;
    }

    // Every task's answer per image; exit 1 when any image could not be used.
    private static int Predict(string path, Device dev, string[] inputs, string? imagesDir, bool json, string? csvOut)
    {
        using var predictor = new TaskPredictor(path, dev, BuiltinConfigs.LegacyModel);
        var files = PredictInputs.Expand(inputs, predictor.Config.Data.PathColumn, imagesDir);
        var results = new List<ImagePrediction>(files.Count);
        foreach (var file in files)
        {
            var p = predictor.Predict(file);
            results.Add(p);
            // Text goes out as it comes (a folder of thousands shows progress); with --csv only the summary does.
            if (!json && csvOut is null) Console.WriteLine(TaskPredictor.ToText(p));
        }
        if (json)
            Console.WriteLine(PredictionJson.Serialize(results));
        int errors = results.Count(p => p.Error is not null);
        if (csvOut is not null)
        {
            PredictionCsv.Write(csvOut, predictor.Config, results);
            if (!json)
            {
                Console.WriteLine($"wrote {results.Count} prediction(s) to {csvOut}{(errors > 0 ? $"; {errors} image(s) could not be used (their error column says why)" : "")}");
                foreach (var p in results.Where(p => p.Error is not null).Take(5)) Console.WriteLine($"  {p.Image}: {p.Error}");
            }
        }
        return errors > 0 ? 1 : 0;
    }
}
