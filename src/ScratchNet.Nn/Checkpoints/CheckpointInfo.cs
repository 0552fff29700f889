namespace ScratchNet.Nn.Checkpoints;

/// <summary>One task head of a model, as the sidecar records it.</summary>
/// <param name="Name">Task name (e.g. <c>is_sky</c>, <c>aqi</c>).</param>
/// <param name="Kind"><c>classification</c>, <c>regression</c> or <c>multilabel</c>.</param>
/// <param name="Labels">Class or tag names (empty for regression).</param>
public sealed record TaskInfo(string Name, string Kind, IReadOnlyList<string> Labels);

/// <summary>
/// What a checkpoint needs besides tensors: the JSON sidecar next to a <c>.safetensors</c> file. It says which
/// model to build and how to feed it, so <c>predict</c> needs nothing but the checkpoint.
/// </summary>
public sealed record CheckpointInfo
{
    /// <summary>Format version of this sidecar.</summary>
    public int FormatVersion { get; init; } = 1;
    /// <summary>The model kind, e.g. <c>multitask-cnn</c> (seed 000's <c>MultiTaskCNN</c>).</summary>
    public required string ModelKind { get; init; }
    /// <summary>Square input size in pixels.</summary>
    public required int ImageSize { get; init; }
    /// <summary>Input channels (3 for RGB).</summary>
    public int Channels { get; init; } = 3;
    /// <summary>Per-channel mean subtracted after scaling to [0, 1]; null for none (the seed uses none).</summary>
    public double[]? NormalizeMean { get; init; }
    /// <summary>Per-channel std divided by; null for none.</summary>
    public double[]? NormalizeStd { get; init; }
    /// <summary>The heads.</summary>
    public IReadOnlyList<TaskInfo> Tasks { get; init; } = [];
    /// <summary>Model hyper-parameters needed to rebuild it (backbone, width, …), as strings.</summary>
    public IReadOnlyDictionary<string, string> ModelOptions { get; init; } = new Dictionary<string, string>();
    /// <summary>Epochs completed when written.</summary>
    public int Epoch { get; init; }
    /// <summary>Optimizer steps taken when written.</summary>
    public long Step { get; init; }
    /// <summary>Anything else worth keeping (best metric, seed, RNG state for resume, …).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}
