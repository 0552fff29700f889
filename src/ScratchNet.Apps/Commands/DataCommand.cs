using System.CommandLine;
using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Commands;

/// <summary><c>scratchnet data sky</c>: generate the synthetic sky/AQI dataset (deterministic for a seed).</summary>
internal static class DataCommand
{
    /// <summary>The largest image side the generators render (a 4096² render already needs hundreds of MB of planes).</summary>
    public const int MaxSize = 4096;

    /// <summary>The most images a generator is asked for in one go.</summary>
    public const int MaxCount = 1_000_000;

    public static Command Create()
    {
        var data = new Command("data", "Generate or convert datasets");
        data.Subcommands.Add(Sky());
        data.Subcommands.Add(DataFashionCommand.Create());
        data.Subcommands.Add(DataMosaicCommand.Create());
        data.Subcommands.Add(DataFlowersCommand.Create());
        return data;
    }

    private static Command Sky()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder (sky/, negatives/, aqi.csv, dataset.json)", Required = true };
        var count = new Option<int>("--count") { Description = "Sky images (the same number of negatives is added)", DefaultValueFactory = _ => 2000 };
        var size = new Option<int>("--size") { Description = $"Image size in pixels (16 … {MaxSize})", DefaultValueFactory = _ => 96 };
        var seed = new Option<long>("--seed") { Description = "Seed: same seed, same dataset", DefaultValueFactory = _ => 0 };
        var format = new Option<string>("--format") { Description = "png or jpeg", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "jpeg");
        var negatives = new Option<string?>("--negatives") { Description = "Folder of real non-sky photos to mix in as negatives" };
        var command = new Command("sky", "Synthetic sky photos with a learnable AQI (Preetham sky, Koschmieder haze), plus non-sky negatives") { outDir, count, size, seed, format, negatives };
        command.SetAction(r =>
        {
            int n = r.GetValue(count), s = r.GetValue(size);
            // A render is size² pixels in several float planes: past 4096 px it is a mistake, not a dataset.
            if (n < 1 || n > MaxCount || s < 16 || s > MaxSize)
            {
                Console.Error.WriteLine($"error: --count must be 1 … {MaxCount} and --size 16 … {MaxSize} (got --count {n}, --size {s})");
                return 2;
            }
            string? neg = r.GetValue(negatives);
            if (neg is not null && !Directory.Exists(neg))
            {
                Console.Error.WriteLine($"error: --negatives folder {neg} does not exist");
                return 2;
            }
            var result = Generate(new SkyDatasetOptions
            {
                OutDir = r.GetValue(outDir)!, Count = n, Size = s, Seed = r.GetValue(seed),
                ImageFormat = r.GetValue(format) == "jpeg" ? SkyImageFormat.Jpeg : SkyImageFormat.Png, NegativesFrom = neg,
            });
            return result is null ? 1 : 0;
        });
        return command;
    }

    /// <summary>Generates with a progress line; returns null (after printing why) on an I/O error.</summary>
    internal static SkyDatasetResult? Generate(SkyDatasetOptions options)
    {
        Console.WriteLine($"generating {options.Count} sky images + {options.Count} negatives at {options.Size}px into {options.OutDir} (seed {options.Seed})");
        int total = options.Count * 2, last = -1;
        var progress = new Progress<int>(done =>
        {
            int pct = (int)(100L * done / Math.Max(1, total));
            if (pct / 10 == last / 10 || Console.IsOutputRedirected && pct % 25 != 0) return;
            last = pct;
            Console.WriteLine($"  {done}/{total} images ({pct}%)");
        });
        try
        {
            var result = SkyDatasetGenerator.Generate(options, progress);
            Console.WriteLine($"done in {result.Elapsed.TotalSeconds:F1} s: {result.SkyImages} sky images in {result.Groups} station/time groups, {result.Negatives} negatives ({result.HardNegatives} hard)");
            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot write the dataset to {options.OutDir}: {e.Message}");
            return null;
        }
    }
}
