namespace ScratchNet.Nn.Data;

/// <summary>
/// An IDX file (the MNIST / Fashion-MNIST container) whose contents are not a valid array: bad magic, an element
/// type this reader does not handle, impossible dimensions, truncated or trailing data, corrupt gzip data, or an
/// images file and a labels file that disagree. The message starts with the file name and then says exactly what is
/// wrong (expected vs found), so a user can tell a truncated download from a wrong file.
/// I/O failures (missing file, permissions) keep their own exception types.
/// </summary>
public sealed class IdxFormatException : Exception
{
    /// <summary>Creates the exception; the message is <c>"{path}: {problem}"</c>.</summary>
    public IdxFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file the problem was found in.</summary>
    public string FilePath { get; }

    /// <summary>The problem alone, without the file name.</summary>
    public string Problem { get; }
}
