namespace ScratchNet.Nn.Onnx;

/// <summary>
/// An ONNX file is malformed or uses something the reader does not take: not protobuf, truncated, a length or count
/// that runs past the bytes that remain, a tensor whose data disagrees with its shape, external data. The message is
/// <c>"{file}: {where}: {problem}"</c>, where <c>where</c> is the path inside the model (<c>graph › initializer 'conv1.weight'</c>)
/// and, for wire-format problems, the byte offset — so a corrupt download reads differently from a model ScratchNet
/// cannot use.
/// </summary>
public sealed class OnnxFormatException(string file, string problem) : Exception($"{file}: {problem}")
{
    /// <summary>The file (or the source name given to the reader).</summary>
    public string FilePath { get; } = file;

    /// <summary>The problem alone, without the file.</summary>
    public string Problem { get; } = problem;
}
