using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// Where the built-in sky experiments (<c>train</c>, <c>train --preset seed</c>) get their data: the synthetic set
/// (rendered once into <c>data/</c>, reused after) or seed 000's real layout (<c>--csv/--images/--negatives</c>),
/// turned into the run directory's <c>data.csv</c>. <see cref="Bind"/> runs after the run directory is locked, so a
/// refused <c>--out</c> costs no rendering.
/// </summary>
internal sealed class SkyData
{
    private Func<ExperimentConfig, RunDirectory, BoundData> bind = (c, _) => new BoundData(c, []);

    /// <summary>Why the options cannot work (null when they can).</summary>
    public string? Problem { get; init; }

    /// <summary>"5000+5000 synthetic images", "the AQI CSV data/aqi.csv": for the first line of output.</summary>
    public string Description { get; private init; } = "";

    /// <summary>Points <paramref name="config"/> at the data (rendering or converting it first).</summary>
    public BoundData Bind(ExperimentConfig config, RunDirectory run) => bind(config, run);

    /// <summary>The synthetic set of <paramref name="count"/> sky renders (and as many non-sky images) at <paramref name="size"/> px.</summary>
    public static SkyData Synthetic(int count, int size, int seed)
    {
        if (count < 10) return new SkyData { Problem = $"--count must be ≥ 10, got {count}" };
        return new SkyData
        {
            Description = $"{count}+{count} synthetic images ({size} px renders)",
            bind = (config, _) =>
            {
                string dir = Path.GetFullPath(Path.Combine("data", $"sky-synthetic-n{count}-s{size}-seed{seed}"));
                string samples = Path.Combine(dir, SkyDatasetGenerator.SamplesFileName);
                if (!SkyDatasetGenerator.IsComplete(dir) || !File.Exists(samples))
                {
                    if (DataCommand.Generate(new SkyDatasetOptions { OutDir = dir, Count = count, Size = size, Seed = seed }) is null)
                        throw new IOException($"could not generate the synthetic dataset in {dir}");
                }
                else Console.WriteLine($"  using the cached synthetic dataset {dir}");
                return new BoundData(config with { Data = config.Data with { Csv = samples, Images = dir } }, []);
            },
        };
    }

    /// <summary>Seed 000's layout: the AQI CSV, its image folder, and optionally a folder of non-sky photos.</summary>
    public static SkyData Real(string csv, string? images, string? negatives, bool strict)
    {
        if (images is null) return new SkyData { Problem = "--csv needs --images (the folder its Filename column refers to)" };
        return new SkyData
        {
            Description = $"the AQI CSV {csv} (images in {images}{(negatives is null ? "; no --negatives, so every image is a sky photo" : $", non-sky photos in {negatives}")})",
            bind = (config, run) =>
            {
                // Undecodable images are found up front only with --strict (one decode per file); otherwise the
                // probe before training and the loader skip them and list them in skipped.csv.
                var manifest = SkyAqiManifest.Load(csv, images, negatives, new SkyAqiManifestOptions { Strict = strict, VerifyDecode = strict });
                string data = run.File("data.csv");
                SkyAqiSamples.Write(data, manifest);
                if (manifest.Skipped.Count > 0)
                    Console.WriteLine($"  skipped {manifest.Skipped.Count} bad row(s) of {csv} (listed in skipped.csv); first: {manifest.Skipped[0]}");
                return new BoundData(config with { Data = config.Data with { Csv = data, Images = run.Root } }, manifest.Skipped);
            },
        };
    }
}
