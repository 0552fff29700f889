using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>What <see cref="FlowersDatasetGenerator.Generate"/> should produce.</summary>
public sealed class FlowersDatasetOptions
{
    /// <summary>Output directory (created if missing). Existing images/, flowers.csv and dataset.json are replaced.</summary>
    public required string OutDir { get; init; }

    /// <summary>Number of images (seed 001 scraped 3200).</summary>
    public int Count { get; init; } = 3200;

    /// <summary>Image side in pixels (square images, ≥ 16).</summary>
    public int Size { get; init; } = 64;

    /// <summary>Seed: the dataset is a deterministic function of (Seed, Count, Size, ImageFormat, JpegQuality, Colours).</summary>
    public long Seed { get; init; }

    /// <summary>PNG (default, lossless) or JPEG (the shared image codec's format enum).</summary>
    public SkyImageFormat ImageFormat { get; init; } = SkyImageFormat.Png;

    /// <summary>JPEG quality 1–100 when <see cref="ImageFormat"/> is JPEG.</summary>
    public int JpegQuality { get; init; } = 90;

    /// <summary>
    /// The colour labels to generate; every (type, colour) pair gets an equal share of <see cref="Count"/> (±1).
    /// Default: seed 001's red, pink, white. Add <see cref="FlowerColour.Yellow"/> for a four-colour set.
    /// </summary>
    public IReadOnlyList<FlowerColour> Colours { get; init; } = FlowerLabels.SeedColours;

    /// <summary>Worker threads for rendering; null = all cores. The output does not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
