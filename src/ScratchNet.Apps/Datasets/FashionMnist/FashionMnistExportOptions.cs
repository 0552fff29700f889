namespace ScratchNet.Apps.Datasets.FashionMnist;

/// <summary>What <see cref="FashionMnistExporter.Export"/> should write.</summary>
public sealed class FashionMnistExportOptions
{
    /// <summary>Output directory (created if missing). Existing train/, test/, fashion.csv and dataset.json there are replaced.</summary>
    public required string OutDir { get; init; }

    /// <summary>Folder holding the four IDX files, plain or gzipped.</summary>
    public string From { get; init; } = FashionMnistFiles.DefaultFolder;

    /// <summary>
    /// When set, export only the first <c>Limit</c> training images and the first <c>Limit / 6</c> test images
    /// (integer division; the official sets' 6:1 ratio), for quick trials. Null exports everything.
    /// </summary>
    public int? Limit { get; init; }

    /// <summary>Worker threads for encoding; null = all cores.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
