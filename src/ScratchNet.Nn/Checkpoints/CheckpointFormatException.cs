namespace ScratchNet.Nn.Checkpoints;

/// <summary>
/// A checkpoint file is malformed: not safetensors at all, truncated, or with a header that contradicts itself
/// or the file (bad dtype, shape that disagrees with the byte range, overlapping or missing data, …).
/// The message always starts with the file (or source) name and then names the specific problem (entry, field,
/// expected vs actual), so a user can tell a corrupt download from a wrong path from a bug in a writer.
/// Thrown only for content problems; I/O failures (missing file, permissions) keep their own exception types.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception; the message is <c>"{path}: {problem}"</c>.</summary>
    public CheckpointFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file path (or, for streams, the source name given to the reader).</summary>
    public string FilePath { get; }

    /// <summary>The problem alone, without the path.</summary>
    public string Problem { get; }
}
