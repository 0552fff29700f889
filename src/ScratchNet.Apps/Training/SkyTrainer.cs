using System.Diagnostics;
using System.Globalization;
using ScratchNet.Kernels;
using ScratchNet.Nn;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Layers;
using ScratchNet.Nn.Losses;
using ScratchNet.Nn.Models;
using ScratchNet.Nn.Optim;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Training;

/// <summary>
/// Seed 000's training loop: <see cref="MultiTaskCnn"/> + <see cref="MultiDomainLoss"/> + Adam, validation after
/// every epoch, <c>best.safetensors</c> by validation sky-MAE (the seed's rule), <c>last.safetensors</c> with the
/// optimizer state every epoch, and exact resume: initialisation, data order, augmentation and dropout masks are
/// all functions of (seed, epoch, step), so a resumed run reaches the same weights as an uninterrupted one.
/// </summary>
public sealed class SkyTrainer
{
    /// <summary>The checkpoint info's model kind for the seed model.</summary>
    public const string ModelKind = "multitask-cnn";

    private readonly TrainSettings settings;
    private readonly RunDirectory run;
    private readonly ITrainingProgress progress;

    /// <summary>Prepares a run; nothing happens until <see cref="Train"/>.</summary>
    public SkyTrainer(TrainSettings settings, RunDirectory run, ITrainingProgress progress)
    {
        this.settings = settings;
        this.run = run;
        this.progress = progress;
    }

    /// <summary>The checkpoint info describing a seed-model checkpoint of these settings.</summary>
    public static CheckpointInfo Info(TrainSettings settings, int epoch, long step, IReadOnlyDictionary<string, string>? extra = null) => new()
    {
        ModelKind = ModelKind,
        ImageSize = settings.ImageSize,
        Tasks = [new TaskInfo("is_sky", "classification", ["not_sky", "sky"]), new TaskInfo("aqi", "regression", [])],
        Epoch = epoch,
        Step = step,
        Extra = extra ?? new Dictionary<string, string>(),
    };

    /// <summary>
    /// Trains on <paramref name="split"/>; returns the epoch records. Stops early (after saving <c>last</c>) when
    /// <paramref name="cancel"/> fires: the current batch finishes first.
    /// </summary>
    public List<EpochRecord> Train(DatasetSplit split, Device device, bool resume, CancellationToken cancel)
    {
        Init.ManualSeed(settings.Seed);
        using var model = new MultiTaskCnn(DType.Float32, device);
        using var optimizer = new Adam(model.Parameters(), settings.LearningRate, weightDecay: settings.WeightDecay);
        var loss = new MultiDomainLoss(regressionScale: settings.RegressionScale);
        var cache = new ImageCache();
        // Flips only: brightness, zoom and rotation would change exactly what the AQI is read from (haze, colour, horizon).
        var augmentation = settings.Augment ? new Augmentation { FlipProbability = 0.5 } : null;
        var schedule = settings.Schedule switch
        {
            "cosine" => new CosineAnnealingLR(optimizer, settings.Epochs),
            "constant" => null,
            _ => throw new ArgumentException($"unknown schedule '{settings.Schedule}' (cosine or constant)"),
        };
        using var trainLoader = new DataLoader(split.Train, new DataLoaderOptions { ImageSize = settings.ImageSize, BatchSize = settings.BatchSize, Shuffle = true, Seed = settings.Seed, Augmentation = augmentation }, cache);
        using var valLoader = new DataLoader(split.Validation, new DataLoaderOptions { ImageSize = settings.ImageSize, BatchSize = 64, Shuffle = false }, cache);

        var records = new List<EpochRecord>();
        int startEpoch = 0, skipBatches = 0, partialImages = 0;
        long step = 0;
        double bestMae = double.PositiveInfinity, partialLoss = 0;
        if (resume)
        {
            var info = Checkpoint.ReadInfo(run.LastCheckpoint);
            Checkpoint.Load(run.LastCheckpoint, model, optimizer);
            startEpoch = info.Epoch;
            step = info.Step;
            bestMae = double.Parse(info.Extra.GetValueOrDefault("best_val_sky_mae", "Infinity"), CultureInfo.InvariantCulture);
            // The checkpoint carries the log it was saved with; log.csv may be a row behind (a kill between the two).
            records = (info.Log is not null ? RunDirectory.ParseLog(info.Log) : run.ReadLog()).Where(r => r.Epoch <= startEpoch).ToList();
            run.WriteLog(records);
            // An interrupted epoch: its first batches are already in the weights; replay the rest of it.
            skipBatches = int.Parse(info.Extra.GetValueOrDefault("partial_batches", "0"), CultureInfo.InvariantCulture);
            partialLoss = double.Parse(info.Extra.GetValueOrDefault("partial_loss_sum", "0"), CultureInfo.InvariantCulture);
            partialImages = int.Parse(info.Extra.GetValueOrDefault("partial_images", "0"), CultureInfo.InvariantCulture);
            progress.Message($"resuming {run.Root} after epoch {startEpoch}" + (skipBatches > 0 ? $" and {skipBatches} batches of epoch {startEpoch + 1}" : "") +
                $" (step {step}, best validation sky-MAE {bestMae:F2})");
        }

        for (int epoch = startEpoch + 1; epoch <= settings.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            schedule?.SetEpoch(epoch - 1);
            progress.StartEpoch(epoch, settings.Epochs, trainLoader.BatchesPerEpoch);
            model.Train();
            double lossSum = partialLoss;
            int batches = skipBatches, images = partialImages;
            int skip = skipBatches;
            skipBatches = 0; partialLoss = 0; partialImages = 0;
            bool interrupted = false;
            foreach (var batch in trainLoader.GetEpoch(epoch))
            {
                if (skip > 0) { skip--; continue; } // done before the interruption
                using (var scope = TensorScope.Begin())
                {
                    Dropout.SeedForStep(model, step);
                    optimizer.ZeroGrad();
                    var x = batch.ToTensor(device);
                    var (isSky, aqi) = SkyModelRunner.Targets(batch, device);
                    var (logits, pred) = model.Forward(x);
                    var l = loss.Forward(logits, pred, isSky, aqi);
                    l.Backward();
                    optimizer.Step();
                    double value = l.Item();
                    if (!double.IsFinite(value))
                        throw new TrainingDivergedException($"the loss became {value} at epoch {epoch}, step {step}: lower --lr (now {settings.LearningRate}); the last saved checkpoint is unaffected");
                    lossSum += value;
                }
                step++;
                batches++;
                images += batch.Count;
                progress.Batch(batches, lossSum / batches, images / clock.Elapsed.TotalSeconds);
                if (cancel.IsCancellationRequested) { interrupted = true; break; }
            }
            if (interrupted)
            {
                // Save the weights after this batch and where in the epoch we are: the epoch's batch order is a
                // function of (seed, epoch), so a resume skips exactly these batches and continues identically.
                Checkpoint.Save(run.LastCheckpoint, model, Info(settings, epoch - 1, step, new Dictionary<string, string>
                {
                    ["best_val_sky_mae"] = bestMae.ToString("R", CultureInfo.InvariantCulture),
                    ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
                    ["partial_batches"] = batches.ToString(CultureInfo.InvariantCulture),
                    ["partial_loss_sum"] = lossSum.ToString("R", CultureInfo.InvariantCulture),
                    ["partial_images"] = images.ToString(CultureInfo.InvariantCulture),
                }) with { Log = RunDirectory.LogText(records) }, optimizer);
                progress.Message($"interrupted after batch {batches} of epoch {epoch}; saved {run.LastCheckpoint}. Continue with: scratchnet train --resume {run.Root}");
                break;
            }

            var val = SkyModelRunner.Predict(model, valLoader, device, loss);
            var m = val.Metrics();
            double mae = m.Aqi?.Mae ?? double.NaN;
            bool isBest = mae < bestMae;
            if (isBest)
            {
                bestMae = mae;
                Checkpoint.Save(run.BestCheckpoint, model, Info(settings, epoch, step, new Dictionary<string, string> { ["val_sky_mae"] = mae.ToString("R", CultureInfo.InvariantCulture) }));
            }
            var record = new EpochRecord(epoch, lossSum / Math.Max(1, batches), val.MeanLoss, m.IsSky.Accuracy, m.IsSky.Precision, m.IsSky.Recall, m.IsSky.F1,
                mae, m.Aqi?.Rmse ?? double.NaN, optimizer.Lr, clock.Elapsed.TotalSeconds, images / clock.Elapsed.TotalSeconds);
            records.Add(record);
            // One file holds weights, optimizer and log: a kill leaves this epoch's or the previous one's.
            Checkpoint.Save(run.LastCheckpoint, model, Info(settings, epoch, step, new Dictionary<string, string>
            {
                ["best_val_sky_mae"] = bestMae.ToString("R", CultureInfo.InvariantCulture),
                ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
            }) with { Log = RunDirectory.LogText(records) }, optimizer);
            run.WriteLog(records);
            progress.EndEpoch(record, isBest);
            if (cancel.IsCancellationRequested)
            {
                if (epoch < settings.Epochs) progress.Message($"stopped after epoch {epoch}; saved {run.LastCheckpoint}. Continue with: scratchnet train --resume {run.Root}");
                break;
            }
        }
        var failures = trainLoader.Failures.Concat(valLoader.Failures).ToList();
        if (failures.Count > 0)
            progress.Message($"{failures.Count} image(s) failed to decode during training and were skipped (see skipped.csv)");
        RunFailures.AddRange(failures);
        return records;
    }

    /// <summary>Images that failed to decode while training (added to skipped.csv by the caller).</summary>
    public List<SkippedRow> RunFailures { get; } = new();
}
