using System.CommandLine;
using System.Globalization;
using ScratchNet.Apps.Datasets.Flowers;
using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet data flowers</c>: generate the synthetic rose/daisy × colour dataset of seed 001 (deterministic for a
/// seed). Exit codes: 0 done, 2 bad options (with a message, nothing written), 1 an I/O error while writing.
/// </summary>
internal static class DataFlowersCommand
{
    /// <summary>The <c>flowers</c> subcommand, to be added under <c>data</c>.</summary>
    public static Command Create()
    {
        // Every value is taken as text and checked in the action, not by the parser: System.CommandLine answers a parse
        // error (e.g. "--count abc") with exit code 1, and bad options must be exit 2.
        var outDir = new Option<string?>("--out") { Description = "Output folder (required): images/, flowers.csv, dataset.json" };
        var count = new Option<string>("--count") { Description = "Number of images, ≥ 1 (seed 001 had 3200)", DefaultValueFactory = _ => "3200" };
        var size = new Option<string>("--size") { Description = "Image side in pixels, ≥ 16", DefaultValueFactory = _ => "64" };
        var seed = new Option<string>("--seed") { Description = "Seed (an integer): same seed, same dataset", DefaultValueFactory = _ => "0" };
        var format = new Option<string>("--format") { Description = "png or jpeg", DefaultValueFactory = _ => "png" };
        var colours = new Option<string>("--colours")
        {
            Description = "Comma-separated colour labels from red, pink, white, yellow (seed 001: red,pink,white)",
            DefaultValueFactory = _ => "red,pink,white",
        };
        var command = new Command("flowers", "Synthetic flower photos labelled with type (daisy, rose) and colour (red, pink, white[, yellow]) — seed 001")
        {
            outDir, count, size, seed, format, colours,
        };
        command.SetAction(r =>
        {
            var (options, error) = Validate(r.GetValue(outDir), r.GetValue(count), r.GetValue(size), r.GetValue(seed), r.GetValue(format), r.GetValue(colours));
            if (options is null)
            {
                Console.Error.WriteLine("error: " + error);
                return 2;
            }
            return Generate(options) is null ? 1 : 0;
        });
        return command;
    }

    /// <summary>Turns the raw option values into generator options, or says what is wrong with them.</summary>
    internal static (FlowersDatasetOptions? Options, string? Error) Validate(string? outDir, string? countText, string? sizeText, string? seedText, string? format, string? colours)
    {
        var ci = CultureInfo.InvariantCulture;
        if (string.IsNullOrWhiteSpace(outDir)) return (null, "--out DIR is required (the dataset folder to write)");
        if (!int.TryParse(countText, NumberStyles.Integer, ci, out int count) || count < 1 || count > DataCommand.MaxCount) return (null, $"--count must be an integer 1 … {DataCommand.MaxCount} (got '{countText}')");
        if (!int.TryParse(sizeText, NumberStyles.Integer, ci, out int size) || size < 16 || size > DataCommand.MaxSize) return (null, $"--size must be an integer 16 … {DataCommand.MaxSize} (got '{sizeText}')");
        if (!long.TryParse(seedText, NumberStyles.Integer, ci, out long seed)) return (null, $"--seed must be an integer (got '{seedText}')");
        SkyImageFormat imageFormat;
        switch (format?.Trim().ToLowerInvariant())
        {
            case "png": imageFormat = SkyImageFormat.Png; break;
            case "jpeg" or "jpg": imageFormat = SkyImageFormat.Jpeg; break;
            default: return (null, $"--format must be png or jpeg (got '{format}')");
        }
        var list = new List<FlowerColour>();
        foreach (var name in (colours ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!FlowerLabels.TryParseColour(name, out var c)) return (null, $"--colours: unknown colour '{name}' (use red, pink, white, yellow)");
            if (list.Contains(c)) return (null, $"--colours: '{name}' is listed twice");
            list.Add(c);
        }
        if (list.Count == 0) return (null, "--colours must name at least one colour");
        return (new FlowersDatasetOptions { OutDir = outDir, Count = count, Size = size, Seed = seed, ImageFormat = imageFormat, Colours = list }, null);
    }

    /// <summary>Generates with progress lines and a summary; returns null (after printing why) on an I/O error.</summary>
    internal static FlowersDatasetResult? Generate(FlowersDatasetOptions options)
    {
        Console.WriteLine($"generating {options.Count} flower images at {options.Size}px into {options.OutDir} (seed {options.Seed}, colours {string.Join(",", options.Colours.Select(FlowerLabels.Name))})");
        int total = options.Count, last = -10;
        var progress = new SynchronousProgress(done =>
        {
            int pct = (int)(100L * done / Math.Max(1, total));
            if (pct / 10 <= last / 10) return; // one line per 10 %, never going backwards
            last = pct;
            Console.WriteLine($"  {done}/{total} images ({pct}%)");
        });
        try
        {
            var result = FlowersDatasetGenerator.Generate(options, progress);
            double rate = result.Images / Math.Max(result.Elapsed.TotalSeconds, 1e-9);
            Console.WriteLine($"done in {result.Elapsed.TotalSeconds:F1} s ({rate:F0} images/s): {result.Images} images in {result.ClassCounts.Count} classes "
                + $"({string.Join(", ", result.ClassCounts.Select(kv => $"{kv.Key} {kv.Value}"))})");
            Console.WriteLine($"  {Path.Combine(result.OutDir, FlowersDatasetGenerator.CsvFileName)} (columns {FlowersDatasetGenerator.CsvHeader})");
            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot write the dataset to {options.OutDir}: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Reports on the calling (worker) thread. Progress&lt;T&gt; would post to the thread pool, where lines can arrive
    /// out of order or after the summary; reports are already thinned to one per 64 images by the generator.
    /// </summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        private readonly Lock _gate = new();

        public void Report(int value)
        {
            lock (_gate) report(value);
        }
    }
}
