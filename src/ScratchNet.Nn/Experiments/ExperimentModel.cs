using System.Text.Json;
using System.Text.Json.Serialization;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Kernels;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// The network a config describes (<see cref="MultiHeadCnn"/>: shared backbone, one head per task) and the
/// checkpoint info that lets <c>evaluate</c> and <c>predict</c> rebuild it from the checkpoint alone: the whole
/// resolved config travels in the info's <c>extra.experiment</c>.
/// </summary>
public static class ExperimentModel
{
    /// <summary>The checkpoint info's model kind for config-built models.</summary>
    public const string Kind = "multihead-cnn";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        IgnoreReadOnlyProperties = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Builds the (freshly initialised) model of <paramref name="config"/> on <paramref name="device"/>.</summary>
    public static MultiHeadCnn Build(ExperimentConfig config, Device device) =>
        new(new BackboneSpec(config.Model.Backbone, config.Model.Width, config.Model.SplitAfter, config.Model.Path, config.Input.Size, config.Model.Freeze == "backbone"),
            config.Tasks.Select(t => new HeadSpec(t.Name, t.Outputs, t.Hidden ?? config.Model.HeadHidden, t.Dropout ?? config.Model.Dropout,
                (t.Activation ?? config.Model.HeadActivation) == "relu" ? HeadActivation.Relu : HeadActivation.Gelu, t.Module)).ToList(),
            config.Input.Channels, DType.Float32, device, config.Model.Names == "seed" ? ModuleNames.Seed : ModuleNames.ScratchNet);

    /// <summary>The info of a checkpoint of <paramref name="config"/>'s model after <paramref name="epoch"/> epochs.</summary>
    public static CheckpointInfo Info(ExperimentConfig config, int epoch, long step, IReadOnlyDictionary<string, string>? extra = null)
    {
        var all = new Dictionary<string, string>(extra ?? new Dictionary<string, string>()) { ["experiment"] = ToJson(config) };
        return new CheckpointInfo
        {
            ModelKind = Kind,
            ImageSize = config.Input.Size,
            Channels = config.Input.Channels,
            NormalizeMean = config.Input.Mean.Length > 0 ? config.Input.Mean : null,
            NormalizeStd = config.Input.Std.Length > 0 ? config.Input.Std : null,
            Tasks = config.Tasks.Select(t => new TaskInfo(t.Name, ExperimentMetrics.KindName(t.Kind), t.Kind == TaskKind.Regression ? [] : t.OutputNames)).ToList(),
            ModelOptions = new Dictionary<string, string>
            {
                ["backbone"] = config.Model.Backbone,
                ["width"] = config.Model.Width.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                ["split_after"] = config.Model.SplitAfter,
            },
            Epoch = epoch,
            Step = step,
            Extra = all,
        };
    }

    /// <summary>The config stored in a sidecar written by <see cref="Info"/>.</summary>
    /// <param name="info">The checkpoint's info.</param>
    /// <param name="checkpoint">The file (for messages).</param>
    /// <param name="otherKinds">
    /// The config for a checkpoint of another model kind, or null if unknown: an application's older formats (the
    /// <c>scratchnet</c> command maps seed 000's pre-config checkpoints to its built-in <c>sky-seed</c> experiment).
    /// </param>
    public static ExperimentConfig ConfigOf(CheckpointInfo info, string checkpoint, Func<CheckpointInfo, ExperimentConfig?>? otherKinds = null)
    {
        if (info.ModelKind != Kind && otherKinds?.Invoke(info) is { } other)
            return other;
        if (info.ModelKind != Kind || !info.Extra.TryGetValue("experiment", out var json))
            throw new CheckpointFormatException(checkpoint, $"not a config-trained model (model kind '{info.ModelKind}', expected '{Kind}' with the experiment in its sidecar)");
        try
        {
            return JsonSerializer.Deserialize<ExperimentConfig>(json, Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(checkpoint, $"the sidecar's experiment config cannot be read: {e.Message}", e);
        }
    }

    /// <summary>A run directory's resolved config (written when the run starts; <c>--resume</c> reads it).</summary>
    public const string RunFile = "experiment.json";

    /// <summary>Writes <paramref name="config"/> as <see cref="RunFile"/> into <paramref name="runDirectory"/>, atomically.</summary>
    public static void SaveToRun(ExperimentConfig config, string runDirectory) =>
        Nn.AtomicFile.WriteAllBytes(Path.Combine(runDirectory, RunFile), System.Text.Encoding.UTF8.GetBytes(ToJson(config)));

    /// <summary>The config a run directory was started with.</summary>
    public static ExperimentConfig LoadFromRun(string runDirectory) => FromJson(File.ReadAllText(Path.Combine(runDirectory, RunFile)));

    /// <summary>The config as JSON (snake_case, enums as words).</summary>
    public static string ToJson(ExperimentConfig config) => JsonSerializer.Serialize(config, Json);

    /// <summary>Parses <see cref="ToJson"/>'s output.</summary>
    public static ExperimentConfig FromJson(string json) => JsonSerializer.Deserialize<ExperimentConfig>(json, Json)!;
}
