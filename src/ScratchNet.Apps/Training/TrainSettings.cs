namespace ScratchNet.Apps.Training;

/// <summary>
/// Everything <c>scratchnet train</c> resolved from its options and preset, written to <c>config.json</c> in the
/// run directory. The defaults are the "demo" preset: small images and a synthetic set sized so a 2-core CPU
/// finishes in well under 15 minutes; <see cref="SeedPreset"/> is seed 000's full setting.
/// </summary>
public sealed record TrainSettings
{
    /// <summary>Preset name (<c>demo</c> or <c>seed</c>).</summary>
    public string Preset { get; init; } = "demo";
    /// <summary>Device name.</summary>
    public string Device { get; init; } = "auto";
    /// <summary>Epochs to train.</summary>
    public int Epochs { get; init; } = 60;
    /// <summary>Training image size (square).</summary>
    public int ImageSize { get; init; } = 64;
    /// <summary>Batch size (seed: 16).</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Adam weight decay (L2, PyTorch semantics; seed: 1e-5).</summary>
    public double WeightDecay { get; init; } = 1e-5;
    /// <summary>Seed of initialisation, splits, shuffling, augmentation and dropout.</summary>
    public int Seed { get; init; } = 0;
    /// <summary>Run directory.</summary>
    public string OutDir { get; init; } = "runs/sky";
    /// <summary>Real data: the AQI CSV (seed 000's layout); null for the synthetic set.</summary>
    public string? Csv { get; init; }
    /// <summary>Folder of the CSV's images.</summary>
    public string? Images { get; init; }
    /// <summary>Folder of non-sky photos (negatives).</summary>
    public string? Negatives { get; init; }
    /// <summary>Where synthetic datasets are cached.</summary>
    public string DataDir { get; init; } = "data";
    /// <summary>Synthetic sky images (as many negatives are added).</summary>
    public int SyntheticCount { get; init; } = 5000;
    /// <summary>Synthetic render size (images are resized to <see cref="ImageSize"/> when loaded).</summary>
    public int SyntheticSize { get; init; } = 96;
    /// <summary>Bad rows are fatal before training starts (otherwise skipped, counted and listed).</summary>
    public bool Strict { get; init; }
    /// <summary>
    /// Unit of the AQI error inside MultiDomainLoss (1 = the seed's loss exactly). The demo uses 100 so the
    /// classification and regression terms have comparable size; see <see cref="ScratchNet.Nn.Losses.MultiDomainLoss"/>.
    /// </summary>
    public double RegressionScale { get; init; } = 100;
    /// <summary><c>cosine</c> (anneal the rate to 0 over the run) or <c>constant</c> (the seed).</summary>
    public string Schedule { get; init; } = "cosine";
    /// <summary>Random horizontal flips during training (a sky is still a sky, with the same AQI, mirrored).</summary>
    public bool Augment { get; init; } = true;
    /// <summary>Train/validation/test ratios, split by group.</summary>
    public double[] SplitRatios { get; init; } = [0.7, 0.15, 0.15];

    /// <summary>Seed 000's full setting: 224×224, 100 epochs, Adam lr 1e-4, weight decay 1e-5, batch 16, no augmentation.</summary>
    public static TrainSettings SeedPreset => new()
    {
        Preset = "seed", Epochs = 100, ImageSize = 224, LearningRate = 1e-4, SyntheticSize = 224, SyntheticCount = 12240, Augment = false, RegressionScale = 1, Schedule = "constant",
    };
}
