namespace ScratchNet.Apps.Tasks.Config;

/// <summary>Reads and validates an experiment YAML file into an <see cref="ExperimentConfig"/>.</summary>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; throws <see cref="ConfigException"/> naming the line and field on any problem.</summary>
    public static ExperimentConfig Load(string path) => throw new NotImplementedException("being written");
}
