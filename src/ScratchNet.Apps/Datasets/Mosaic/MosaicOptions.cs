using ScratchNet.Apps.Datasets.FashionMnist;

namespace ScratchNet.Apps.Datasets.Mosaic;

/// <summary>What <see cref="MosaicGenerator.Generate"/> should produce.</summary>
public sealed class MosaicOptions
{
    /// <summary>Output directory (created if missing). Existing train/, test/, mosaic.csv and dataset.json there are replaced.</summary>
    public required string OutDir { get; init; }

    /// <summary>Folder holding the four Fashion-MNIST IDX files, plain or gzipped.</summary>
    public string From { get; init; } = FashionMnistFiles.DefaultFolder;

    /// <summary>Mosaics built from the official training set (split <c>train</c>; take validation from these).</summary>
    public int Count { get; init; } = 20000;

    /// <summary>Mosaics built from the official test set (split <c>test</c>).</summary>
    public int TestCount { get; init; } = 4000;

    /// <summary>Seed: the images and CSV are a deterministic function of (Seed, Count, TestCount, source files).</summary>
    public long Seed { get; init; }

    /// <summary>Worker threads for composing and encoding; null = all cores. Does not change the output.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
