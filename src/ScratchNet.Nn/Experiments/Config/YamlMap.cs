using YamlDotNet.RepresentationModel;

namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// A YAML mapping of config fields. Creating it rejects unknown keys (with a did-you-mean) and repeated keys, so the
/// readers of each section only ask for the fields they know; the typed getters return a default when a field is
/// left out and fail with the field's path and line when it is there but wrong.
/// </summary>
internal sealed class YamlMap
{
    private readonly Dictionary<string, (YamlValue Key, YamlValue Value)> fields = new(StringComparer.Ordinal);

    /// <summary>Reads the keys of <paramref name="node"/>; every key must be one of <paramref name="allowed"/>.</summary>
    public YamlMap(YamlValue self, YamlMappingNode node, IReadOnlyList<string> allowed)
    {
        Self = self;
        foreach (var (keyNode, valueNode) in node.Children)
        {
            // A key carries its parent's path: "tasks[0]: unknown field 'lables'" reads better than a path to the typo.
            var key = new YamlValue(keyNode, self.Path, self.File);
            var name = key.Text("a field name");
            if (!allowed.Contains(name))
                throw key.Error($"unknown field '{name}'; expected one of {string.Join(", ", allowed)}{Choices.Hint(name, allowed)}");
            // YamlDotNet already rejects identical keys; this catches ones that differ only in a tag (!!str lr).
            if (fields.TryGetValue(name, out var first))
                throw key.Error($"field '{name}' is given twice (first on line {first.Key.Line})");
            fields[name] = (key, new YamlValue(valueNode, Child(name), self.File, key.Line));
        }
    }

    /// <summary>The mapping itself as a value (its path and line).</summary>
    public YamlValue Self { get; }

    /// <summary>Line of the mapping's key (<c>data:</c>), or where it starts when it has none (a list item).</summary>
    public int Line => Self.Line;

    /// <summary>An error at the mapping's line, prefixed with its path.</summary>
    public ConfigException Error(string message) => Self.Error(message);

    /// <summary>Whether <paramref name="key"/> is present (even with an empty value).</summary>
    public bool Has(string key) => fields.ContainsKey(key);

    /// <summary>The value of <paramref name="key"/>, or null when it is left out.</summary>
    public YamlValue? Get(string key) => fields.TryGetValue(key, out var f) ? f.Value : null;

    /// <summary>The line of <paramref name="key"/> itself (where a section such as <c>data:</c> or <c>when:</c> starts).</summary>
    public int KeyLine(string key) => fields[key].Key.Line;

    /// <summary>An error at <paramref name="key"/>'s line, prefixed with the key's path.</summary>
    public ConfigException ErrorAt(string key, string message) => fields[key].Value.Error(message);

    /// <summary>The value of <paramref name="key"/>; a missing one is an error at the mapping's (key) line.</summary>
    public YamlValue Required(string key, string why = "") =>
        Get(key) ?? throw Error($"missing required field '{key}'{why}");

    /// <summary>The path of a field of this mapping.</summary>
    public string Child(string key) => Self.Path.Length == 0 ? key : $"{Self.Path}.{key}";

    /// <summary>A word, or <paramref name="fallback"/> when left out.</summary>
    public string Text(string key, string fallback, string expected = "a word") => Get(key)?.Text(expected) ?? fallback;

    /// <summary>A word, or null when left out.</summary>
    public string? OptionalText(string key, string expected = "a word") => Get(key)?.Text(expected);

    /// <summary>A number meeting <paramref name="ok"/>, or <paramref name="fallback"/> when left out.</summary>
    public double Number(string key, double fallback, Func<double, bool> ok, string expected) =>
        Get(key) is { } v ? v.Number(ok, expected) : fallback;

    /// <summary>A whole number meeting <paramref name="ok"/>, or <paramref name="fallback"/> when left out.</summary>
    public int Integer(string key, int fallback, Func<int, bool> ok, string expected) =>
        Get(key) is { } v ? v.Integer(ok, expected) : fallback;

    /// <summary>A boolean, or <paramref name="fallback"/> when left out.</summary>
    public bool Bool(string key, bool fallback) => Get(key)?.Bool() ?? fallback;

    /// <summary>
    /// One of <paramref name="choices"/> (or <paramref name="fallback"/> when left out); anything else is
    /// "'x' is not <paramref name="noun"/>; expected a, b or c (did you mean …?)".
    /// </summary>
    public string Choice(string key, string fallback, IReadOnlyList<string> choices, string noun)
    {
        if (Get(key) is not { } v)
            return fallback;
        var word = v.Text(Choices.Or(choices));
        return choices.Contains(word)
            ? word
            : throw v.Error($"'{word}' is not {noun}; expected {Choices.Or(choices)}{Choices.Hint(word, choices)}");
    }
}
