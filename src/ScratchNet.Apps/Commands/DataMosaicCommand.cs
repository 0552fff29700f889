using System.CommandLine;
using ScratchNet.Apps.Datasets.Mosaic;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet data mosaic</c>: the multi-label Fashion-MNIST mosaics (2×2 grids of 0–4 items, 56×56 greyscale;
/// see <see cref="MosaicGenerator"/>). Meant to sit under <c>data</c> next to <c>sky</c>.
/// </summary>
internal static class DataMosaicCommand
{
    /// <summary>The <c>mosaic</c> subcommand.</summary>
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder (train/, test/, mosaic.csv, dataset.json)", Required = true };
        var from = FashionMnistCli.FromOption();
        var count = new Option<int>("--count") { Description = "Mosaics from the official train set (train + validation)", DefaultValueFactory = _ => 20000 };
        var testCount = new Option<int>("--test-count") { Description = "Mosaics from the official test set", DefaultValueFactory = _ => 4000 };
        var seed = new Option<long>("--seed") { Description = "Seed: same seed, same mosaics", DefaultValueFactory = _ => 0 };
        var command = new Command("mosaic", "Multi-label Fashion-MNIST mosaics: 56×56 greyscale 2×2 grids of 0–4 items, tagged with the classes present") { outDir, from, count, testCount, seed };
        command.SetAction(r =>
        {
            int n = r.GetValue(count), t = r.GetValue(testCount);
            if (n < 0 || t < 0 || n + t == 0)
            {
                Console.Error.WriteLine("error: --count and --test-count must be ≥ 0, and not both 0");
                return 2;
            }
            var options = new MosaicOptions { OutDir = r.GetValue(outDir)!, From = r.GetValue(from)!, Count = n, TestCount = t, Seed = r.GetValue(seed) };
            Console.WriteLine($"generating {n} train + {t} test mosaics from {options.From} into {options.OutDir} (seed {options.Seed})");
            return FashionMnistCli.Run(options.OutDir, () => MosaicGenerator.Generate(options, FashionMnistCli.Progress("mosaics")), result =>
                $"done in {result.Elapsed.TotalSeconds:F1} s: {result.TrainMosaics} train + {result.TestMosaics} test mosaics holding {result.Items} items");
        });
        return command;
    }
}
