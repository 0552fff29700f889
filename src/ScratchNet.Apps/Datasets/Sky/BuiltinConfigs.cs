namespace ScratchNet.Apps.Datasets.Sky;

using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Experiments.Config;

/// <summary>
/// The experiments built into the <c>scratchnet</c> command: <c>sky</c> (examples/sky.yml, the default
/// <c>train</c>) and <c>sky-seed</c> (examples/sky-seed.yml, seed 000 exactly: <c>--preset seed</c>). The YAML files
/// themselves are embedded, so the examples and the built-ins cannot drift apart.
/// </summary>
public static class BuiltinConfigs
{
    /// <summary>The default demo: seed 000's model and masked loss at 64 px, tuned to finish in minutes on a CPU.</summary>
    public const string Sky = "sky";

    /// <summary>Seed 000 exactly, with its PyTorch state-dict names.</summary>
    public const string SkySeed = "sky-seed";

    /// <summary>
    /// Parses built-in <paramref name="name"/>; its data section is a placeholder (the caller points it at real
    /// files, so none is checked here).
    /// </summary>
    public static ExperimentConfig Load(string name)
    {
        using var yaml = typeof(BuiltinConfigs).Assembly.GetManifestResourceStream($"builtin/{name}.yml")
            ?? throw new InvalidOperationException($"the built-in config '{name}' is missing from the assembly");
        var config = ConfigLoader.Parse(new StreamReader(yaml).ReadToEnd(), $"builtin:{name}", Environment.CurrentDirectory, checkFiles: false);
        return config with { SourceFile = $"builtin:{name} (examples/{name}.yml)" };
    }

    /// <summary>The model kind of checkpoints written by the seed-model trainer before configs existed.</summary>
    public const string LegacySeedKind = "multitask-cnn";

    /// <summary>
    /// The config of a checkpoint the seed-model trainer wrote before configs existed (model kind
    /// <c>multitask-cnn</c>: seed 000's keys, no experiment inside): <c>sky-seed</c> at its image size, so it still
    /// predicts and evaluates. Null for any other kind.
    /// </summary>
    public static ExperimentConfig? LegacyModel(CheckpointInfo info)
    {
        if (info.ModelKind != LegacySeedKind) return null;
        var seed = Load(SkySeed);
        return seed with { Input = seed.Input with { Size = info.ImageSize } };
    }
}
