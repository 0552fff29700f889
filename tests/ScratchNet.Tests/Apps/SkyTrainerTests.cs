using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Apps.Training;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Apps;

/// <summary>The training loop on a tiny synthetic set: outputs of a run, and exact resume.</summary>
public sealed class SkyTrainerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("scratchnet-train-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private DatasetSplit TinySplit()
    {
        string data = Path.Combine(root, "data");
        if (!SkyDatasetGenerator.IsComplete(data))
            SkyDatasetGenerator.Generate(new SkyDatasetOptions { OutDir = data, Count = 40, Size = 16, Seed = 3 });
        var manifest = SkyAqiManifest.Load(Path.Combine(data, "aqi.csv"), Path.Combine(data, "sky"), Path.Combine(data, "negatives"));
        return DatasetSplitter.Split(manifest.Samples, 0.6, 0.2, 0.2, seed: 1);
    }

    private static TrainSettings Settings(string outDir, int epochs) =>
        new() { Epochs = epochs, ImageSize = 16, BatchSize = 8, LearningRate = 1e-3, Seed = 5, OutDir = outDir };

    /// <summary>Stops the run after a given number of batches, as Ctrl-C would.</summary>
    private sealed class InterruptAfter(int batches, CancellationTokenSource cancel) : ITrainingProgress
    {
        private int seen;
        public void StartEpoch(int epoch, int totalEpochs, int b) { }
        public void Batch(int done, double meanLoss, double imagesPerSecond) { if (++seen == batches) cancel.Cancel(); }
        public void EndEpoch(EpochRecord record, bool isBest) { }
        public void EpochSummary(int epoch, double seconds, string summary, bool isBest) { }
        public void Message(string text) { }
    }

    private static byte[] Weights(string run) => ScratchNet.Tests.Nn.CheckpointTensors.Of(Path.Combine(run, "last.safetensors"));

    [Fact]
    public void ARunWritesItsLogAndCheckpoints()
    {
        var split = TinySplit();
        var run = new RunDirectory(Path.Combine(root, "a"));
        var records = new SkyTrainer(Settings(run.Root, 2), run, new PlainProgress(TextWriter.Null)).Train(split, Device.Cpu, false, CancellationToken.None);
        Assert.Equal(2, records.Count);
        Assert.Equal(2, run.ReadLog().Count);
        Assert.Equal(2, Checkpoint.ReadInfo(run.LastCheckpoint).Epoch);
        // One file: the optimizer's state and the log travel with the weights.
        Assert.Contains(SafeTensorsFile.Read(run.LastCheckpoint).Tensors.Keys, k => k.StartsWith(Checkpoint.OptimizerPrefix, StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(run.File("log.csv")), Checkpoint.ReadInfo(run.LastCheckpoint).Log);
        Assert.DoesNotContain(SafeTensorsFile.Read(run.BestCheckpoint).Tensors.Keys, k => k.StartsWith(Checkpoint.OptimizerPrefix, StringComparison.Ordinal));
        Assert.True(File.Exists(run.BestCheckpoint));
        Assert.All(records, r => Assert.True(double.IsFinite(r.TrainLoss)));
    }

    [Fact]
    public void PredictAnswersPerImageAndRefusesBadFiles()
    {
        var split = TinySplit();
        var run = new RunDirectory(Path.Combine(root, "p"));
        new SkyTrainer(Settings(run.Root, 1), run, new PlainProgress(TextWriter.Null)).Train(split, Device.Cpu, false, CancellationToken.None);
        string sky = split.Test.First(s => s.Targets[0] == 1).ImagePath;
        string bogus = Path.Combine(root, "not-an-image.jpg");
        File.WriteAllText(bogus, "hello");
        var output = new StringWriter();
        var errors = new StringWriter();
        var previous = Console.Out;
        var previousError = Console.Error;
        Console.SetOut(output);
        Console.SetError(errors);
        int code;
        try
        {
            code = ScratchNet.Apps.Program.Main(["predict", "--device", "cpu", "--model", run.BestCheckpoint, "--json", sky, bogus]);
        }
        finally
        {
            Console.SetOut(previous);
            Console.SetError(previousError);
        }
        Assert.True(code == 1, $"exit code {code}; stdout: {output}; stderr: {errors}"); // one image failed
        Assert.True(output.ToString().TrimStart().StartsWith('['), $"stdout: {output}; stderr: {errors}");
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        double p = items[0].GetProperty("sky_probability").GetDouble();
        Assert.InRange(p, 0, 1);
        Assert.Equal(p >= 0.5, items[0].GetProperty("is_sky").GetBoolean());
        Assert.Equal(p >= 0.5, items[0].GetProperty("aqi").ValueKind == System.Text.Json.JsonValueKind.Number);
        Assert.Contains("not-an-image.jpg", items[1].GetProperty("error").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, items[1].GetProperty("sky_probability").ValueKind);
    }

    [Theory]
    [InlineData(3)]   // interrupted inside epoch 1 (5 batches per epoch)
    [InlineData(5)]   // interrupted at the end of epoch 1's last batch
    [InlineData(7)]   // interrupted inside epoch 2
    public void ResumeAfterAnInterruptionReachesTheSameWeights(int stopAfterBatches)
    {
        var split = TinySplit();
        var full = new RunDirectory(Path.Combine(root, "full"));
        new SkyTrainer(Settings(full.Root, 3), full, new PlainProgress(TextWriter.Null)).Train(split, Device.Cpu, false, CancellationToken.None);

        var part = new RunDirectory(Path.Combine(root, $"part{stopAfterBatches}"));
        using (var cancel = new CancellationTokenSource())
            new SkyTrainer(Settings(part.Root, 3), part, new InterruptAfter(stopAfterBatches, cancel)).Train(split, Device.Cpu, false, cancel.Token);
        Assert.NotEqual(Weights(full.Root), Weights(part.Root));
        new SkyTrainer(Settings(part.Root, 3), part, new PlainProgress(TextWriter.Null)).Train(split, Device.Cpu, true, CancellationToken.None);

        Assert.Equal(Weights(full.Root), Weights(part.Root));
        Assert.Equal(full.ReadLog().Select(r => r.TrainLoss), part.ReadLog().Select(r => r.TrainLoss));
    }
}
