using System.CommandLine;
using System.Text.Json;
using ScratchNet.Apps.Tasks;
using ScratchNet.Apps.Training;
using ScratchNet.Kernels;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Metrics;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet predict --model CKPT IMAGE…</c>: for each image, the probability that it is a sky photo and, only
/// if it is, the AQI and its US EPA band.
/// </summary>
internal static class PredictCommand
{
    /// <summary>One image's answer.</summary>
    public sealed record Prediction(string Image, bool IsSky, double? SkyProbability, double? Aqi, string? Band, string? Error);

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors written by scratchnet train, e.g. RUN_DIR/best.safetensors)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON (one array) instead of text" };
        var device = CommonOptions.Device();
        var imagesArg = new Argument<string[]>("images") { Description = "Image files (JPEG, PNG, BMP, WebP)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("predict", "Answer a trained model's tasks for images (sky/AQI, or any config-trained model)") { model, json, device, imagesArg };
        command.SetAction(r =>
        {
            string path = r.GetValue(model)!;
            CheckpointInfo info;
            Device dev;
            try
            {
                dev = Device.Get(r.GetValue(device)!);
                info = Checkpoint.ReadInfo(path);
                if (info.ModelKind == ExperimentModel.Kind) return PredictConfigModel(path, dev, r.GetValue(imagesArg)!, r.GetValue(json));
                if (info.ModelKind != SkyTrainer.ModelKind)
                    throw new CheckpointFormatException(path, $"a '{info.ModelKind}' checkpoint; predict expects the sky/AQI model ({SkyTrainer.ModelKind})");
            }
            catch (Exception e) when (e is CheckpointFormatException or DeviceNotAvailableException or FileNotFoundException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            using var net = new MultiTaskCnn(DType.Float32, dev);
            try { Checkpoint.Load(path, net); }
            catch (CheckpointFormatException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }
            net.Eval();
            var results = r.GetValue(imagesArg)!.Select(image => Predict(net, dev, info.ImageSize, image)).ToList();
            if (r.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Encoder = PlainJson }));
            else
                foreach (var p in results)
                    Console.WriteLine(p.Error is not null ? $"{p.Image}: error: {p.Error}"
                        : p.IsSky ? $"{p.Image}: sky photo (p = {p.SkyProbability:F3}); AQI {p.Aqi:F0} ({p.Band})"
                        : $"{p.Image}: not a sky photo (p(sky) = {p.SkyProbability:F3}), no AQI");
            return results.Any(p => p.Error is not null) ? 1 : 0;
        });
        return command;
    }

    // Plain UTF-8 JSON: file names with apostrophes or accents stay readable ("it's.png", not "it\u0027s.png").
    // Still valid JSON; it is printed to a terminal or a file, never embedded in HTML.
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder PlainJson = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    // A config-trained model: every task's answer per image.
    private static int PredictConfigModel(string path, Device dev, string[] images, bool json)
    {
        using var predictor = new TaskPredictor(path, dev);
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

    private static Prediction Predict(MultiTaskCnn net, Device dev, int size, string image)
    {
        float[] chw;
        try
        {
            var rgb = ImageDecoder.DecodeRgb(image, size, size);
            chw = new float[3 * size * size];
            Augmentation.ToChw(rgb, size, size, chw);
        }
        catch (Exception e) when (e is ImageDecodeException or IOException)
        {
            return new Prediction(image, false, null, null, null, e.Message);
        }
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var x = Tensor.FromArray(chw, [1, 3, size, size], dev);
        var (logits, aqi) = net.Forward(x);
        double p = SkyModelRunner.SkyProbabilities(logits)[0];
        bool sky = p >= 0.5;
        double value = aqi.Item();
        return sky
            ? new Prediction(image, true, p, value, AqiBands.TryBandOf(Math.Max(0, value), out int band) ? AqiBands.NameOf(band) : null, null)
            : new Prediction(image, false, p, null, null, null);
    }
}
