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
        public void Message(string text) { }
    }

    private static byte[] Weights(string run) => File.ReadAllBytes(Path.Combine(run, "last.safetensors"));

    [Fact]
    public void ARunWritesItsLogAndCheckpoints()
    {
        var split = TinySplit();
        var run = new RunDirectory(Path.Combine(root, "a"));
        var records = new SkyTrainer(Settings(run.Root, 2), run, new PlainProgress(TextWriter.Null)).Train(split, Device.Cpu, false, CancellationToken.None);
        Assert.Equal(2, records.Count);
        Assert.Equal(2, run.ReadLog().Count);
        Assert.Equal(2, Checkpoint.ReadInfo(run.LastCheckpoint).Epoch);
        Assert.True(File.Exists(Checkpoint.OptimizerPath(run.LastCheckpoint)));
        Assert.True(File.Exists(run.BestCheckpoint));
        Assert.All(records, r => Assert.True(double.IsFinite(r.TrainLoss)));
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
