namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// A config that cannot be used: the message names the file, the YAML line and the field, and says what was
/// expected (e.g. <c>fashion.yml:14: tasks[1].type: 'clasification' is not a task type; expected classification,
/// regression or multilabel</c>).
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception; <paramref name="line"/> is 1-based (0 when not tied to a line).</summary>
    public ConfigException(string file, int line, string message)
        : base(line > 0 ? $"{file}:{line}: {message}" : $"{file}: {message}")
    {
        File = file;
        Line = line;
    }

    /// <summary>The config file.</summary>
    public string File { get; }

    /// <summary>1-based YAML line (0 when not tied to one).</summary>
    public int Line { get; }
}
