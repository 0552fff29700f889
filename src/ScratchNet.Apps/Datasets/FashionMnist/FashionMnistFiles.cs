namespace ScratchNet.Apps.Datasets.FashionMnist;

/// <summary>The four Fashion-MNIST IDX files of one folder, each found plain or gzipped.</summary>
/// <param name="TrainImages">The 60k official training images.</param>
/// <param name="TrainLabels">Their labels.</param>
/// <param name="TestImages">The 10k official test images.</param>
/// <param name="TestLabels">Their labels.</param>
public sealed record FashionMnistFiles(string TrainImages, string TrainLabels, string TestImages, string TestLabels)
{
    /// <summary>Where Debian/Ubuntu's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The files' standard names without the optional <c>.gz</c>, in the order of the record's parameters.</summary>
    public static IReadOnlyList<string> BaseNames { get; } =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>
    /// Finds the four files in <paramref name="folder"/>, each as <c>NAME.gz</c> or plain <c>NAME</c> (the gzipped
    /// name first, as distributed; whether a file is really compressed is decided by its content).
    /// </summary>
    /// <exception cref="FashionMnistMissingException">The folder or any of the files is missing; the message says how to install them.</exception>
    public static FashionMnistFiles Locate(string folder)
    {
        var found = new string?[BaseNames.Count];
        var missing = new List<string>();
        for (int i = 0; i < found.Length; i++)
        {
            found[i] = new[] { BaseNames[i] + ".gz", BaseNames[i] }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
            if (found[i] is null) missing.Add(BaseNames[i] + ".gz");
        }
        if (missing.Count > 0) throw new FashionMnistMissingException(folder, missing);
        return new FashionMnistFiles(found[0]!, found[1]!, found[2]!, found[3]!);
    }

    /// <summary>All four paths, in the order of the record's parameters.</summary>
    public IReadOnlyList<string> All => [TrainImages, TrainLabels, TestImages, TestLabels];
}
