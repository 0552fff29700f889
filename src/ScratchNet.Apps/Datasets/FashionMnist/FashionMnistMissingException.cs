namespace ScratchNet.Apps.Datasets.FashionMnist;

/// <summary>
/// The Fashion-MNIST files are not where they were looked for. The message lists what is missing and says exactly
/// how to get the files, because this is the error every new machine (and CI) meets first.
/// </summary>
public sealed class FashionMnistMissingException : FileNotFoundException
{
    /// <summary>Creates the exception for <paramref name="folder"/> lacking <paramref name="missing"/>.</summary>
    public FashionMnistMissingException(string folder, IReadOnlyList<string> missing)
        : base(Explain(folder, missing))
    {
        Folder = folder;
        Missing = missing;
    }

    /// <summary>The folder that was searched.</summary>
    public string Folder { get; }

    /// <summary>The missing file names (the .gz form; the plain name is accepted too).</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>The full explanation: what is missing where, and the two ways to get the files.</summary>
    public static string Explain(string folder, IReadOnlyList<string> missing) =>
        $"Fashion-MNIST not found in {folder}: missing {string.Join(", ", missing)} (plain or .gz).\n" +
        $"Install it with: sudo apt-get install dataset-fashion-mnist   (Debian/Ubuntu; it puts the files in {FashionMnistFiles.DefaultFolder})\n" +
        "or download the four *-ubyte.gz files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, " +
        "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) from https://github.com/zalandoresearch/fashion-mnist " +
        "and pass --from DIR (the folder holding them).";
}
