namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// Reads and validates an experiment YAML file (the schema is in <c>docs/config.md</c>) into an
/// <see cref="ExperimentConfig"/>. Every problem is a <see cref="ConfigException"/> naming the file, the 1-based
/// line and the field; the first problem found stops the read.
/// </summary>
public static class ConfigLoader
{
    private static readonly string[] Keys = ["name", "data", "input", "model", "tasks", "train"];
    private const string BuiltinPrefix = "builtin:";

    /// <summary>
    /// Loads <paramref name="path"/>; relative paths inside it resolve against the file's folder. Throws
    /// <see cref="ConfigException"/> naming the line and field on any problem (line 0 when the file is missing).
    /// </summary>
    public static ExperimentConfig Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ConfigException(path, 0, $"config file {full} does not exist");
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, 0, $"cannot read {full}: {e.Message}");
        }
        return Parse(text, path, Path.GetDirectoryName(full)!);
    }

    /// <summary>
    /// Parses YAML text. <paramref name="sourceName"/> names it in messages and becomes
    /// <see cref="ExperimentConfig.SourceFile"/> (its file name without extension is the default experiment name;
    /// a <c>builtin:</c> prefix is dropped from that); relative paths resolve against <paramref name="baseDirectory"/>.
    /// With <paramref name="checkFiles"/> false, data.csv and data.images need not exist.
    /// </summary>
    public static ExperimentConfig Parse(string yamlText, string sourceName, string baseDirectory, bool checkFiles = true)
    {
        var root = YamlText.Root(yamlText, sourceName).Map(Keys);
        // Sections are read in file-schema order, so the first error reported is usually the first in the file.
        var name = root.Get("name") is { } n ? Name(n) : DefaultName(sourceName);
        var data = DataSection.Read(root, Path.GetFullPath(baseDirectory), checkFiles);
        var input = InputSection.Read(root);
        var model = ModelSection.Read(root, Path.GetFullPath(baseDirectory), checkFiles);
        var tasks = TasksSection.Read(root, model);
        var train = TrainSection.Read(root, tasks);
        return new ExperimentConfig
        {
            Name = name, SourceFile = sourceName, Data = data, Input = input, Model = model, Tasks = tasks, Train = train,
        };
    }

    // The name becomes part of a run folder (runs/NAME-TIME), so it may not hold path separators.
    private static string Name(YamlValue value)
    {
        var name = value.Text("an experiment name");
        return name.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\']) < 0
            ? name
            : throw value.Error($"'{name}' cannot be part of a folder name (runs/NAME-TIME); leave out / and \\");
    }

    private static string DefaultName(string sourceName) =>
        Path.GetFileNameWithoutExtension(sourceName.StartsWith(BuiltinPrefix, StringComparison.Ordinal) ? sourceName[BuiltinPrefix.Length..] : sourceName);
}
