using ScratchNet.Apps.Tasks.Config;

namespace ScratchNet.Apps.Tasks;

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
}
