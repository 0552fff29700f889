namespace ScratchNet.Nn.Data;

/// <summary>
/// A dataset manifest that cannot be used at all (a required column missing, an unreadable folder), or, in strict
/// mode, the first bad row. The message names the file (and line) so the fix is obvious.
/// </summary>
public sealed class ManifestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ManifestException(string message, Exception? inner = null) : base(message, inner) { }
}
