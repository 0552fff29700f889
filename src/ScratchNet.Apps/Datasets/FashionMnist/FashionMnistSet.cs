using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Datasets.FashionMnist;

/// <summary>The official Fashion-MNIST train and test sets, read and checked (28×28 images, labels 0–9).</summary>
/// <param name="Files">Where they were read from.</param>
/// <param name="Train">The official training set (60k images).</param>
/// <param name="Test">The official test set (10k images).</param>
public sealed record FashionMnistSet(FashionMnistFiles Files, IdxImageSet Train, IdxImageSet Test)
{
    /// <summary>Image side in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>Locates the files in <paramref name="folder"/> and reads both splits.</summary>
    /// <exception cref="FashionMnistMissingException">A file is missing.</exception>
    /// <exception cref="IdxFormatException">A file is malformed, not 28×28 images, or holds a label outside 0–9.</exception>
    public static FashionMnistSet Load(string folder)
    {
        var files = FashionMnistFiles.Locate(folder);
        // The two splits are independent files; reading (mostly gunzip) them at once halves the wait on two cores.
        var train = Task.Run(() => ReadChecked(files.TrainImages, files.TrainLabels));
        var test = ReadChecked(files.TestImages, files.TestLabels);
        return new FashionMnistSet(files, train.GetAwaiter().GetResult(), test);
    }

    private static IdxImageSet ReadChecked(string imagesPath, string labelsPath)
    {
        var set = IdxFile.ReadImageSet(imagesPath, labelsPath);
        if (set.Rows != ImageSize || set.Cols != ImageSize)
            throw new IdxFormatException(imagesPath, $"images are {set.Rows}×{set.Cols}; Fashion-MNIST images are {ImageSize}×{ImageSize}");
        var labels = set.Labels.Data;
        int bad = Array.FindIndex(labels, l => l >= FashionMnistClasses.Count);
        if (bad >= 0)
            throw new IdxFormatException(labelsPath, $"label {labels[bad]} at index {bad} is not a Fashion-MNIST class (0–{FashionMnistClasses.Count - 1})");
        return set;
    }
}
