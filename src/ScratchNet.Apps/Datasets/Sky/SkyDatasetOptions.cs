namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>What <see cref="SkyDatasetGenerator.Generate"/> should produce.</summary>
public sealed class SkyDatasetOptions
{
    /// <summary>Output directory (created if missing). Existing sky/, negatives/, aqi.csv and dataset.json are replaced.</summary>
    public required string OutDir { get; init; }

    /// <summary>Number of sky images; the same number of negatives is written.</summary>
    public int Count { get; init; } = 3000;

    /// <summary>Image side in pixels (square images, ≥ 16).</summary>
    public int Size { get; init; } = 96;

    /// <summary>Seed: the whole dataset is a deterministic function of (Seed, Count, Size, ImageFormat).</summary>
    public long Seed { get; init; }

    /// <summary>PNG (default, lossless) or JPEG.</summary>
    public SkyImageFormat ImageFormat { get; init; } = SkyImageFormat.Png;

    /// <summary>JPEG quality 1–100 when <see cref="ImageFormat"/> is JPEG.</summary>
    public int JpegQuality { get; init; } = 90;

    /// <summary>
    /// Optional folder of real non-sky photos (e.g. Flickr30k). Up to <see cref="Count"/> files with an image extension
    /// (.jpg, .jpeg, .png, .bmp, .webp), in ordinal name order, are copied as-is into negatives/; procedural negatives fill the rest.
    /// </summary>
    public string? NegativesFrom { get; init; }

    /// <summary>Worker threads for rendering; null = all cores.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
