using System.CommandLine;
using ScratchNet.Apps.Datasets.FashionMnist;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet data fashion-mnist</c>: export Fashion-MNIST from its IDX files to PNGs plus <c>fashion.csv</c>
/// (see <see cref="FashionMnistExporter"/>). Meant to sit under <c>data</c> next to <c>sky</c>.
/// </summary>
internal static class DataFashionCommand
{
    /// <summary>The <c>fashion-mnist</c> subcommand.</summary>
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder (train/, test/, fashion.csv, dataset.json)", Required = true };
        var from = FashionMnistCli.FromOption();
        var limit = new Option<int?>("--limit") { Description = "Export only the first N train and N/6 test images (quick trials)" };
        var command = new Command("fashion-mnist", "Export Fashion-MNIST (official 60k train / 10k test) to 28×28 greyscale PNGs and a CSV of class and category") { outDir, from, limit };
        command.SetAction(r =>
        {
            int? n = r.GetValue(limit);
            if (n is < 1)
            {
                Console.Error.WriteLine("error: --limit must be ≥ 1");
                return 2;
            }
            var options = new FashionMnistExportOptions { OutDir = r.GetValue(outDir)!, From = r.GetValue(from)!, Limit = n };
            Console.WriteLine($"exporting Fashion-MNIST from {options.From} into {options.OutDir}{(n is null ? "" : $" (first {n} train, {n / 6} test)")}");
            return FashionMnistCli.Run(options.OutDir, () => FashionMnistExporter.Export(options, FashionMnistCli.Progress("images")), result =>
                $"done in {result.Elapsed.TotalSeconds:F1} s: {result.TrainImages} train + {result.TestImages} test images");
        });
        return command;
    }
}
