namespace ScratchNet.Nn.Checkpoints;

/// <summary>One task head of a model, as the sidecar records it.</summary>
/// <param name="Name">Task name (e.g. <c>is_sky</c>, <c>aqi</c>).</param>
/// <param name="Kind"><c>classification</c>, <c>regression</c> or <c>multilabel</c>.</param>
/// <param name="Labels">Class or tag names (empty for regression).</param>
public sealed record TaskInfo(string Name, string Kind, IReadOnlyList<string> Labels);

/// <summary>
/// What a checkpoint needs besides tensors, stored as JSON in the file's <c>__metadata__</c> header (see
/// <see cref="Checkpoint"/>). It says which model to build and how to feed it, so <c>predict</c> needs nothing but
/// the checkpoint, and for a run's <c>last</c> checkpoint it carries the log up to that point.
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
    /// <summary>
    /// The run's <c>log.csv</c> as of this checkpoint (null when not a run's <c>last</c>): saved with the weights in
    /// one write, so the log a resume continues from always matches them, and <c>log.csv</c> can be rebuilt.
    /// </summary>
    public string? Log { get; init; }

    /// <summary>What is wrong with these values, in a user's words (null when nothing is).</summary>
    /// <remarks>Checked when a checkpoint is written and when it is read, so a hand-edited or foreign file is refused before anything is built from it.</remarks>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(ModelKind)) return "ModelKind is empty";
        if (ImageSize is < 8 or > 1024) return $"ImageSize must be 8 … 1024 pixels, got {ImageSize}";
        if (Channels is < 1 or > 4) return $"Channels must be 1 … 4, got {Channels}";
        if (NormalizeMean is { } m && m.Length != Channels) return $"NormalizeMean has {m.Length} values for {Channels} channels";
        if (NormalizeStd is { } s && s.Length != Channels) return $"NormalizeStd has {s.Length} values for {Channels} channels";
        if (NormalizeMean?.Any(v => !double.IsFinite(v)) == true) return "NormalizeMean must hold finite numbers";
        if (NormalizeStd?.Any(v => !(v > 0) || !double.IsFinite(v)) == true) return $"NormalizeStd must be finite and > 0, got [{string.Join(", ", NormalizeStd!)}]";
        if (Tasks is null || Tasks.Count == 0) return "Tasks is empty: a checkpoint needs at least one task head";
        foreach (var t in Tasks)
        {
            if (t is null || string.IsNullOrWhiteSpace(t.Name)) return "a task has no name";
            if (t.Kind is not ("classification" or "regression" or "multilabel")) return $"task '{t.Name}' has kind '{t.Kind}' (expected classification, regression or multilabel)";
            if (t.Kind != "regression" && (t.Labels is null || t.Labels.Count == 0)) return $"task '{t.Name}' ({t.Kind}) has no labels";
        }
        if (Epoch < 0) return $"Epoch must be ≥ 0, got {Epoch}";
        if (Step < 0) return $"Step must be ≥ 0, got {Step}";
        return null;
    }
}
