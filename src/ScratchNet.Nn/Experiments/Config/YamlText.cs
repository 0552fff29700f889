using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ScratchNet.Nn.Experiments.Config;

/// <summary>Turns YAML text into the root node of its single document; every YAML problem becomes a <see cref="ConfigException"/>.</summary>
internal static class YamlText
{
    private const string Duplicate = "Duplicate key ";

    /// <summary>The root of the one document in <paramref name="text"/>; an empty file or a second document is an error.</summary>
    public static YamlValue Root(string text, string file)
    {
        var stream = new YamlStream();
        var parser = new LineTrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e) when (e.Message.StartsWith(Duplicate, StringComparison.Ordinal))
        {
            // YamlDotNet names the key and points at its second occurrence.
            throw new ConfigException(file, (int)e.Start.Line, $"duplicate key '{e.Message[Duplicate.Length..]}': a key may appear only once in a mapping");
        }
        catch (YamlException e)
        {
            throw new ConfigException(file, (int)e.Start.Line, $"YAML syntax error: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1's scanner throws this (with no position) on e.g. "a: [1, 2" followed by "b: 3".
            throw new ConfigException(file, parser.Line, "YAML syntax error: cannot read on from here (is a [, { or quote left open?)");
        }

        if (stream.Documents.Count == 0)
            throw new ConfigException(file, 0, "the file is empty; expected a mapping with at least data: and tasks:");
        if (stream.Documents.Count > 1)
            throw new ConfigException(file, (int)stream.Documents[1].RootNode.Start.Line, "expected one YAML document, found a second one (remove the '---')");
        var root = new YamlValue(stream.Documents[0].RootNode, "", file);
        if (root.IsEmpty)
            throw new ConfigException(file, 0, "the file is empty; expected a mapping with at least data: and tasks:");
        return root;
    }

    /// <summary>Passes events through, remembering the line of the last one read, for errors YamlDotNet gives no position for.</summary>
    private sealed class LineTrackingParser(IParser inner) : IParser
    {
        public int Line { get; private set; } = 1;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var more = inner.MoveNext();
            if (inner.Current is { } e)
                Line = (int)e.End.Line;
            return more;
        }
    }
}
