using System.Globalization;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Nn.Experiments;

/// <summary>One task's answer for one image.</summary>
/// <param name="Kind">classification, regression or multilabel.</param>
/// <param name="Label">Classification: the most probable label.</param>
/// <param name="Probability">Classification: its probability.</param>
/// <param name="Value">Regression: the predicted value.</param>
/// <param name="Band">Regression with <c>bands:</c>: the band the value falls in (e.g. the US EPA AQI category).</param>
/// <param name="Tags">Multi-label: the labels whose probability reaches their threshold.</param>
/// <param name="Probabilities">Classification: every label's softmax probability; multi-label: every label's sigmoid.</param>
/// <param name="NotApplicable">
/// Set when the task has a <c>when.label</c> condition and the predicted label of that other task is not in its
/// list (e.g. no AQI for an image predicted not to be a sky photo): says why; the other fields are then omitted.
/// </param>
public sealed record TaskAnswer(string Kind, string? Label = null, double? Probability = null, double? Value = null, string? Band = null,
    IReadOnlyList<string>? Tags = null, IReadOnlyDictionary<string, double>? Probabilities = null, string? NotApplicable = null);

/// <summary>One image's answers (or why it could not be read).</summary>
/// <param name="Image">The file.</param>
/// <param name="Tasks">Task → answer (null on error).</param>
/// <param name="Error">Why the image could not be used.</param>
public sealed record ImagePrediction(string Image, IReadOnlyDictionary<string, TaskAnswer>? Tasks, string? Error);

/// <summary>
/// A config-trained checkpoint ready to answer for single images: the model rebuilt from the checkpoint info's experiment,
/// the input prepared as in training, and for a multi-label task with <c>threshold: tuned</c> the per-label
/// thresholds tuned on validation that training stored in the checkpoint info (else the config's fixed threshold).
/// </summary>
public sealed class TaskPredictor : IDisposable
{
    private readonly MultiHeadCnn model;
    private readonly Device device;

    /// <summary>Loads <paramref name="checkpoint"/> (throws <see cref="CheckpointFormatException"/> if it is not a config-trained model).</summary>
    /// <param name="checkpoint">A <c>best</c>/<c>last.safetensors</c> of a run.</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="otherKinds">Configs for an application's older model kinds (see <see cref="ExperimentModel.ConfigOf"/>).</param>
    public TaskPredictor(string checkpoint, Device device, Func<CheckpointInfo, ExperimentConfig?>? otherKinds = null)
    {
        var info = Checkpoint.ReadInfo(checkpoint);
        CheckpointPath = checkpoint;
        Config = ExperimentModel.ConfigOf(info, checkpoint, otherKinds);
        this.device = device;
        model = ExperimentModel.Build(Config, device);
        try { Checkpoint.Load(checkpoint, model); }
        catch { model.Dispose(); throw; }
        model.Eval();
        Thresholds = ThresholdsOf(Config, info);
    }

    /// <summary>
    /// Multi-label task → the per-label thresholds a checkpoint predicts with: those tuned on validation and stored in
    /// its info when the task says <c>threshold: tuned</c>, else the config's fixed threshold for every label.
    /// </summary>
    public static IReadOnlyDictionary<string, double[]> ThresholdsOf(ExperimentConfig config, CheckpointInfo info) =>
        config.Tasks.Where(t => t.Kind == TaskKind.MultiLabel).ToDictionary(t => t.Name, t =>
            t.TuneThresholds && info.Extra.TryGetValue("thresholds." + t.Name, out var s)
                ? s.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
                : Enumerable.Repeat(t.Threshold, t.Outputs).ToArray());

    /// <summary>The checkpoint file.</summary>
    public string CheckpointPath { get; }

    /// <summary>The loaded model (eval mode).</summary>
    public MultiHeadCnn Model => model;

    /// <summary>The experiment the checkpoint was trained with.</summary>
    public ExperimentConfig Config { get; }

    /// <summary>Multi-label task → per-label thresholds in use.</summary>
    public IReadOnlyDictionary<string, double[]> Thresholds { get; }

    /// <summary>Answers for one image file; decoding problems come back as <see cref="ImagePrediction.Error"/>.</summary>
    public ImagePrediction Predict(string image)
    {
        byte[] encoded;
        try { encoded = ImageDecoder.ReadFile(image); }
        catch (ImageDecodeException e) { return new ImagePrediction(image, null, e.Message); }
        return Predict(encoded, image);
    }

    /// <summary>
    /// As <see cref="Predict(string)"/> for an image held in memory (an upload); <paramref name="name"/> is what the
    /// answer and its errors call it. Not safe to call from two threads at once on one predictor (the model's
    /// forward pass uses its buffers): a server serialises the calls.
    /// </summary>
    public ImagePrediction Predict(byte[] encoded, string name)
    {
        int size = Config.Input.Size;
        var rgb = new float[3 * size * size];
        try { Augmentation.ToChw(ImageDecoder.DecodeRgb(encoded, name, size, size, out _), size, size, rgb); }
        catch (ImageDecodeException e)
        {
            return new ImagePrediction(name, null, e.Message);
        }
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var x = Tensor.FromArray(InputTransform.Transform(rgb, 1, size, Config.Input), [1, Config.Input.Channels, size, size], device);
        var heads = model.Forward(x);
        var answers = new Dictionary<string, TaskAnswer>(StringComparer.Ordinal);
        foreach (var task in Config.Tasks)
        {
            var p = TaskPredictions.Activate(task, heads[task.Name].ToDoubleArray());
            string kind = ExperimentMetrics.KindName(task.Kind);
            answers[task.Name] = task.Kind switch
            {
                TaskKind.Classification => new TaskAnswer(kind, task.Labels[ExperimentMetrics.ArgMax(p)], p.Max(),
                    Probabilities: task.Labels.Select((l, i) => (l, i)).ToDictionary(q => q.l, q => p[q.i])),
                TaskKind.Regression => new TaskAnswer(kind, Value: p[0], Band: task.Bands?.ToBands().NameOf(p[0])),
                _ => new TaskAnswer(kind, Tags: task.OutputNames.Where((_, i) => p[i] >= Thresholds[task.Name][i]).ToList(),
                    Probabilities: task.OutputNames.Select((l, i) => (l, i)).ToDictionary(q => q.l, q => p[q.i])),
            };
        }
        // A task that only applies to some labels of another task (when.label) is withheld where the model says
        // the image is not one of them, as seed 000 gives no AQI for a photo it thinks is not of the sky.
        foreach (var task in Config.Tasks)
        {
            if (task.When?.LabelTask is not string other || task.When.LabelIn.Contains(answers[other].Label!)) continue;
            answers[task.Name] = new TaskAnswer(answers[task.Name].Kind, NotApplicable: $"{other} = {answers[other].Label}");
        }
        return new ImagePrediction(name, answers, null);
    }

    /// <summary>"class = sneaker (p 0.970); count = 2.1; tags = {bag, shirt} (bag 0.910, shirt 0.770, hat 0.120)": a multi-label task lists every label's probability, highest first.</summary>
    public static string ToText(ImagePrediction p)
    {
        if (p.Error is not null) return $"{p.Image}: error: {p.Error}";
        var inv = CultureInfo.InvariantCulture;
        return p.Image + ": " + string.Join("; ", p.Tasks!.Select(kv => kv.Value.NotApplicable is string why ? $"{kv.Key}: n/a ({why})" : kv.Value.Kind switch
        {
            "classification" => string.Create(inv, $"{kv.Key} = {kv.Value.Label} (p {kv.Value.Probability:F3})"),
            "regression" => string.Create(inv, $"{kv.Key} = {kv.Value.Value:G4}") + (kv.Value.Band is string band ? $" ({band})" : ""),
            _ => $"{kv.Key} = {{{string.Join(", ", kv.Value.Tags!)}}} (" +
                string.Join(", ", kv.Value.Probabilities!.OrderByDescending(l => l.Value).Select(l => string.Create(inv, $"{l.Key} {l.Value:F3}"))) + ")",
        }));
    }

    /// <inheritdoc/>
    public void Dispose() => model.Dispose();
}
