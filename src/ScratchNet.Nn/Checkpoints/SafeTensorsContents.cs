namespace ScratchNet.Nn.Checkpoints;

/// <summary>
/// What <see cref="SafeTensorsFile.Read(string)"/> returns: every tensor of the file by name (ordinal order) and
/// the optional <c>__metadata__</c> strings. Everything in here has been validated against the file: each
/// entry's <see cref="SafeTensorEntry.Data"/> has exactly the length its dtype and shape call for.
/// </summary>
public sealed class SafeTensorsContents
{
    /// <summary>Wraps already-validated tensors and metadata read from <paramref name="source"/>.</summary>
    public SafeTensorsContents(string source, IReadOnlyDictionary<string, SafeTensorEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Source = source;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The path (or source name) the contents were read from, for messages.</summary>
    public string Source { get; }

    /// <summary>The tensors by state-dict name.</summary>
    public IReadOnlyDictionary<string, SafeTensorEntry> Tensors { get; }

    /// <summary>The <c>__metadata__</c> object (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// The entry named <paramref name="name"/>; throws <see cref="CheckpointFormatException"/> naming the file and
    /// the missing name when the checkpoint lacks it (the usual symptom of loading a checkpoint into the wrong model).
    /// </summary>
    public SafeTensorEntry Require(string name)
    {
        if (Tensors.TryGetValue(name, out var entry)) return entry;
        throw new CheckpointFormatException(Source, $"no tensor named '{name}' (the file holds {Tensors.Count} tensors)");
    }
}
