using System.CommandLine;
using System.Text.Json;
using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Kernels;
using ScratchNet.Nn;
using ScratchNet.Nn.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet compare --config FILE.yml</c>: one single-task model per task vs the multi-task model, same
/// settings; prints and writes (<c>compare.md</c>, <c>compare.json</c>) each task's test metrics side by side,
/// training time and inference throughput.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Experiment YAML (see docs/config.md)", Required = true };
        var device = CommonOptions.Device();
        var outDir = new Option<string?>("--out") { Description = "Folder for the runs and the table (default runs/compare-<name>-<date-time>)" };
        var epochs = new Option<int?>("--epochs") { Description = "Override train.epochs for every model" };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N rows of the CSV" };
        var command = new Command("compare", "Train one model per task and one multi-task model under the same settings; compare metrics, training time and inference throughput")
            { config, device, outDir, epochs, limit };
        command.SetAction(r =>
        {
            try
            {
                var c = new ConfigOverrides(Epochs: r.GetValue(epochs), Limit: r.GetValue(limit)).Apply(ConfigLoader.Load(r.GetValue(config)!));
                var dev = Device.Get(r.GetValue(device)!);
                TaskDataset.Load(c); // every CSV problem reported before the first model trains
                var root = Path.GetFullPath(r.GetValue(outDir) ?? Path.Combine("runs", $"compare-{c.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"));
                Directory.CreateDirectory(root);
                Console.WriteLine($"ScratchNet compare: {c.Name} on {dev.Backend.Description}; {c.Tasks.Count} single-task models + 1 multi-task model, {c.Train.Epochs} epochs each; runs in {root}");
                foreach (var t in ExperimentComparison.DroppedConditions(c))
                    Console.WriteLine($"  note: task '{t}' has a when: condition on another task; its single-task model trains without it");
                // Ctrl-C: the model in training finishes its batch and saves `last` in its run directory; the table is not written.
                var stop = new CtrlCStop();
                ExperimentComparison result;
                try
                {
                    result = ExperimentComparison.Run(c, dev, root, name => new PrefixedProgress(name, new PlainProgress(Console.Out)), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"interrupted: no comparison table; the models trained so far are in {root}");
                    return 130;
                }
                finally
                {
                    stop.Dispose();
                }
                var table = result.ToMarkdown();
                Console.WriteLine();
                Console.WriteLine(table);
                AtomicFile.WriteAllBytes(Path.Combine(root, "compare.md"), System.Text.Encoding.UTF8.GetBytes($"# {c.Name}: single-task vs multi-task (test split)\n\n" + table));
                AtomicFile.WriteAllBytes(Path.Combine(root, "compare.json"), JsonSerializer.SerializeToUtf8Bytes(result, ExperimentMetrics.JsonOptions));
                Console.WriteLine($"wrote {Path.Combine(root, "compare.md")} and compare.json");
                return 0;
            }
            catch (Exception e) when (e is ConfigException or DataValidationException or CsvFormatException or DeviceNotAvailableException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>Prefixes every epoch line with the model's name, so interleaved runs read clearly.</summary>
    private sealed class PrefixedProgress(string name, ITrainingProgress inner) : ITrainingProgress
    {
        public void StartEpoch(int epoch, int totalEpochs, int batches) => inner.StartEpoch(epoch, totalEpochs, batches);
        public void Batch(int done, double meanLoss, double imagesPerSecond) => inner.Batch(done, meanLoss, imagesPerSecond);
        public void EpochSummary(int epoch, double seconds, string summary, bool isBest) => inner.EpochSummary(epoch, seconds, $"[{name}] {summary}", isBest);
        public void Message(string text) => inner.Message($"[{name}] {text}");
    }
}
