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
/// <c>scratchnet predict --model CKPT IMAGE…</c>: for each image, every task's answer (<see cref="TaskPredictor"/>):
/// for the sky model the probability that it is a sky photo and, only if it is, the AQI and its US EPA band.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors written by scratchnet train) or a run folder (its best.safetensors)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON (one array) instead of text" };
        var device = CommonOptions.Device();
        var imagesArg = new Argument<string[]>("images") { Description = "Image files (JPEG, PNG, BMP, WebP)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("predict", "Answer a trained model's tasks for images (sky/AQI, or any config-trained model)") { model, json, device, imagesArg };
        command.SetAction(r =>
        {
            try
            {
                var dev = Device.Get(r.GetValue(device)!);
                return PredictImages(RunDirectory.ModelIn(r.GetValue(model)!), dev, r.GetValue(imagesArg)!, r.GetValue(json));
            }
            catch (Exception e) when (e is CheckpointFormatException or DeviceNotAvailableException or FileNotFoundException)
            {
                return UserErrors.Report(e);
            }
        });
        return command;
    }

    // Plain UTF-8 JSON: file names with apostrophes or accents stay readable ("it's.png", not "it\u0027s.png").
    // Still valid JSON; it is printed to a terminal or a file, never embedded in HTML.
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder PlainJson = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    // Every task's answer per image.
    private static int PredictImages(string path, Device dev, string[] images, bool json)
    {
        using var predictor = new TaskPredictor(path, dev, BuiltinConfigs.LegacyModel);
        var results = images.Select(predictor.Predict).ToList();
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions
            {
                WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Encoder = PlainJson,
                DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            }));
        else
            foreach (var p in results) Console.WriteLine(TaskPredictor.ToText(p));
        return results.Any(p => p.Error is not null) ? 1 : 0;
    }
}
