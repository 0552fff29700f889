namespace ScratchNet.Nn.Data;

/// <summary>
/// An image file that cannot be turned into pixels: missing, empty, not an image, truncated, corrupt, or too large
/// to decode safely. The message names the file and the reason; <see cref="Reason"/> holds the reason alone (what
/// <c>skipped.csv</c> records).
/// </summary>
public sealed class ImageDecodeException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ImageDecodeException(string path, string reason, Exception? inner = null)
        : base($"cannot decode image '{path}': {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The image file.</summary>
    public string Path { get; }

    /// <summary>Why it failed, without the file name.</summary>
    public string Reason { get; }
}
