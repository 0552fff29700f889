using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// One YAML node together with its field path (<c>tasks[1].type</c>) and file, so that every typed read can fail
/// with <c>file:line: path: expected …, got …</c>. Scalars are read by their text whatever their quoting, so
/// <c>"0.5"</c> is a number and <c>0</c> is a word where a word is expected.
/// </summary>
/// <param name="node">The node.</param>
/// <param name="path">Its field path.</param>
/// <param name="file">The config file.</param>
/// <param name="keyLine">For the value of a mapping field, the line of its key: errors about a whole block
/// (<c>data:</c> missing <c>csv</c>) point there rather than at the block's first inner line.</param>
internal sealed class YamlValue(YamlNode node, string path, string file, int? keyLine = null)
{
    /// <summary>The node.</summary>
    public YamlNode Node => node;

    /// <summary>Field path such as <c>train.early_stopping.patience</c> (<c>""</c> for the root).</summary>
    public string Path => path;

    /// <summary>The config file (for messages).</summary>
    public string File => file;

    /// <summary>1-based line of the field's key, or where the node starts when it has no key (a list item, the root).</summary>
    public int Line => keyLine ?? (int)node.Start.Line;

    /// <summary>
    /// True for a value left blank (<c>key:</c> with nothing after it) or written as YAML's null (<c>~</c>,
    /// <c>null</c>). A quoted <c>""</c> is not empty: it is an empty word.
    /// </summary>
    public bool IsEmpty => node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>An error at this node's line, prefixed with its path.</summary>
    public ConfigException Error(string message) => new(file, Line, path.Length == 0 ? message : $"{path}: {message}");

    /// <summary>How the node reads in "got …": <c>'text'</c>, <c>nothing</c>, <c>a list</c> or <c>a mapping</c>.</summary>
    public string Describe() => node switch
    {
        _ when IsEmpty => "nothing",
        YamlScalarNode s => $"'{Shorten(s.Value ?? "")}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an unsupported YAML node",
    };

    /// <summary>
    /// The scalar's text, which may not be empty (no field wants an empty word, and a blank CSV cell means "no
    /// label"); <paramref name="expected"/> names what was wanted (<c>a column name</c>).
    /// </summary>
    public string Text(string expected = "a word")
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } text } && !IsEmpty)
            return text;
        throw Error($"expected {expected}, got {Describe()}");
    }

    /// <summary>A finite number (InvariantCulture) for which <paramref name="ok"/> holds.</summary>
    public double Number(Func<double, bool> ok, string expected)
    {
        if (node is YamlScalarNode { Value: { } text } && !IsEmpty
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && ok(v))
            return v;
        throw Error($"expected {expected}, got {Describe()}");
    }

    /// <summary>A whole number (no decimal point or exponent) for which <paramref name="ok"/> holds.</summary>
    public int Integer(Func<int, bool> ok, string expected)
    {
        if (node is YamlScalarNode { Value: { } text } && !IsEmpty
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && ok(v))
            return v;
        throw Error($"expected {expected}, got {Describe()}");
    }

    /// <summary><c>true</c>/<c>false</c>, also <c>yes</c>/<c>no</c> (any case).</summary>
    public bool Bool()
    {
        var text = node is YamlScalarNode s && !IsEmpty ? s.Value?.ToLowerInvariant() : null;
        return text switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => throw Error($"expected true or false, got {Describe()}"),
        };
    }

    /// <summary>A mapping whose keys must all be among <paramref name="allowed"/>.</summary>
    public YamlMap Map(IReadOnlyList<string> allowed) => node is YamlMappingNode m
        ? new YamlMap(this, m, allowed)
        : throw Error($"expected a mapping (with {Choices.Or(allowed)}), got {Describe()}");

    /// <summary>The items of a list, each with its path <c>path[i]</c>.</summary>
    public IReadOnlyList<YamlValue> Items(string expected = "a list") => node is YamlSequenceNode seq
        ? seq.Children.Select((child, i) => new YamlValue(child, $"{path}[{i}]", file)).ToArray()
        : throw Error($"expected {expected}, got {Describe()}");

    /// <summary>The items of a list, or this single scalar as a list of one (for fields that take either).</summary>
    public IReadOnlyList<YamlValue> ItemsOrOne(string expected) => node is YamlScalarNode && !IsEmpty ? [this] : Items(expected);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
