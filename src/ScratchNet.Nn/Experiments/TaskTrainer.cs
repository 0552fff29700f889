using System.Diagnostics;
using System.Globalization;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Layers;
using ScratchNet.Nn.Models;
using ScratchNet.Nn.Optim;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Experiments;

/// <summary>What a config run's training produced.</summary>
/// <param name="Log">One row per epoch trained (including those before a resume).</param>
/// <param name="BestEpoch">Epoch of <c>best.safetensors</c> (0 when no epoch had a finite monitored value).</param>
/// <param name="StoppedEarly">True when early stopping ended the run.</param>
/// <param name="Interrupted">True when the run was cancelled (Ctrl-C); <c>last</c> holds where it stopped.</param>
/// <param name="TrainSeconds">Wall time of this invocation's epochs (training + validation).</param>
/// <param name="Failures">Images that failed to decode and were skipped.</param>
public sealed record TaskTrainResult(TaskLog Log, int BestEpoch, bool StoppedEarly, bool Interrupted, double TrainSeconds, IReadOnlyList<SkippedRow> Failures);

/// <summary>
/// The training loop of a config: <see cref="ExperimentModel"/> + <see cref="MultiTaskObjective"/> + the configured
/// optimiser and schedule, validation after every epoch, <c>best.safetensors</c> by <c>train.monitor</c>,
/// <c>last.safetensors</c> (with optimiser and stopping-rule state) every epoch, early stopping and
/// reduce-on-plateau, and exact resume: initialisation, data order, augmentation and dropout masks are functions of
/// (seed, epoch, step), so an interrupted and resumed run reaches the same weights as one that was not.
/// </summary>
public sealed class TaskTrainer(ExperimentConfig config, RunDirectory run, ITrainingProgress progress)
{
    /// <summary>Builds the optimiser a config names.</summary>
    public static Optimizer CreateOptimizer(TrainConfig train, IEnumerable<Tensor> parameters) => train.Optimizer switch
    {
        "adam" => new Adam(parameters, train.Lr, weightDecay: train.WeightDecay),
        "adamw" => new AdamW(parameters, train.Lr, weightDecay: train.WeightDecay),
        "sgd" => new Sgd(parameters, train.Lr, train.Momentum, weightDecay: train.WeightDecay, nesterov: train.Nesterov),
        _ => throw new ArgumentException($"unknown optimizer '{train.Optimizer}'"),
    };

    /// <summary>The loader augmentation for a config (null when every transform is off).</summary>
    public static Augmentation? CreateAugmentation(AugmentationConfig a)
    {
        var aug = new Augmentation
        {
            FlipProbability = a.Flip, MaxRotationDegrees = a.Rotation, MaxShiftFraction = a.Shift,
            MinZoom = a.Zoom[0], MaxZoom = a.Zoom[1], MinBrightness = a.Brightness[0], MaxBrightness = a.Brightness[1],
        };
        return aug == Augmentation.None ? null : aug;
    }

    /// <summary>Training-set mean of each regression task over the rows that count (the baseline predictor).</summary>
    /// <remarks>A task with no such row (e.g. evaluating on a CSV without a train split) gets no entry, so no baseline.</remarks>
    public static Dictionary<string, double> TrainMeans(TaskDataset data, MultiTaskObjective objective)
    {
        var means = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var t in data.Config.Tasks.Where(t => t.Kind == TaskKind.Regression))
        {
            int slot = data.Layout[t.Name].Offset;
            var values = data.Split.Train.Where(s => objective.Counts(t, s.Targets)).Select(s => s.Targets[slot]).ToArray();
            if (values.Length > 0) means[t.Name] = values.Average();
        }
        return means;
    }

    /// <summary>Trains on <paramref name="data"/>; cancelling finishes the current batch, saves <c>last</c> and returns.</summary>
    public TaskTrainResult Train(TaskDataset data, Device device, bool resume, CancellationToken cancel)
    {
        var train = config.Train;
        Init.ManualSeed(train.Seed);
        using var model = ExperimentModel.Build(config, device);
        // A frozen backbone's parameters are left out: they get no gradient, no optimizer state and no weight decay.
        using var optimizer = CreateOptimizer(train, model.Parameters().Where(p => p.RequiresGrad).ToList());
        var objective = new MultiTaskObjective(config.Tasks, data.Layout);
        var trainMeans = TrainMeans(data, objective);
        var cache = new ImageCache();
        using var trainLoader = new DataLoader(data.Split.Train, new DataLoaderOptions
        {
            ImageSize = config.Input.Size, BatchSize = train.BatchSize, Shuffle = true, Seed = train.Seed, Augmentation = CreateAugmentation(train.Augmentation),
        }, cache);
        using var valLoader = new DataLoader(data.Split.Validation, new DataLoaderOptions { ImageSize = config.Input.Size, BatchSize = 128, Shuffle = false }, cache);
        var cosine = train.Schedule == "cosine" ? new CosineAnnealingLR(optimizer, train.Epochs) : null;
        var log = new TaskLog(config.Tasks);
        var state = new StoppingState(config);
        int startEpoch = 0, skipBatches = 0;
        long step = 0;
        if (resume)
        {
            var info = Checkpoint.ReadInfo(run.LastCheckpoint);
            Checkpoint.Load(run.LastCheckpoint, model, optimizer);
            startEpoch = info.Epoch;
            step = info.Step;
            state = StoppingState.From(config, info.Extra);
            skipBatches = state.PartialBatches;
            // The checkpoint carries the log it was saved with; log.csv may be a row behind (a kill between the two).
            if (info.Log is not null) log.LoadCsv(info.Log, startEpoch, run.LastCheckpoint);
            else log.Load(run.File("log.csv"), startEpoch);
            log.Save(run.File("log.csv"));
            progress.Message($"resuming {run.Root} after epoch {startEpoch}" + (skipBatches > 0 ? $" and {skipBatches} batches of epoch {startEpoch + 1}" : "") + $" (step {step})");
            if ((startEpoch >= train.Epochs && skipBatches == 0) || state.StoppedEarly)
                progress.Message($"the run had already finished ({(state.StoppedEarly ? "stopped early" : $"all {train.Epochs} epochs")}): nothing to train; scoring it on the test split again (pass a larger --epochs to train on)");
        }

        var clock = Stopwatch.StartNew();
        bool stoppedEarly = state.StoppedEarly, interrupted = false;
        for (int epoch = startEpoch + 1; epoch <= train.Epochs && !stoppedEarly; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            optimizer.Lr = state.LearningRate(cosine?.RateAt(epoch - 1) ?? train.Lr);
            progress.StartEpoch(epoch, train.Epochs, trainLoader.BatchesPerEpoch);
            model.Train();
            var taskLoss = config.Tasks.ToDictionary(t => t.Name, t => state.PartialTaskLoss.GetValueOrDefault(t.Name));
            double lossSum = state.PartialLoss;
            int batches = skipBatches, images = state.PartialImages, skip = skipBatches;
            skipBatches = 0;
            state.ClearPartial();
            foreach (var batch in trainLoader.GetEpoch(epoch))
            {
                if (skip > 0) { skip--; continue; } // in the weights already (resumed mid-epoch)
                using (var scope = TensorScope.Begin())
                {
                    Dropout.SeedForStep(model, step);
                    optimizer.ZeroGrad();
                    var x = InputTransform.ToTensor(batch, config.Input, device);
                    var (total, perTask) = objective.Forward(model.Forward(x), batch);
                    total.Backward();
                    optimizer.Step();
                    double value = total.Item();
                    if (!double.IsFinite(value))
                        throw new TrainingDivergedException($"the loss became {value} at epoch {epoch}, step {step}: lower train.lr (now {optimizer.Lr:G3}) or check the regression scales; the last saved checkpoint is unaffected");
                    lossSum += value;
                    foreach (var (name, l) in perTask) taskLoss[name] += l.Item();
                }
                step++;
                batches++;
                images += batch.Count;
                progress.Batch(batches, lossSum / batches, images / epochClock.Elapsed.TotalSeconds);
                if (cancel.IsCancellationRequested) { interrupted = true; break; }
            }
            if (interrupted)
            {
                // The epoch's batch order is a function of (seed, epoch): a resume skips exactly these batches.
                state.SetPartial(batches, images, lossSum, taskLoss);
                Checkpoint.Save(run.LastCheckpoint, model, ExperimentModel.Info(config, epoch - 1, step, state.ToExtra()) with { Log = log.ToCsv() }, optimizer);
                progress.Message($"interrupted after batch {batches} of epoch {epoch}; saved {run.LastCheckpoint}. Continue with: scratchnet train --resume {run.Root}");
                break;
            }

            // Validation is not cut short by a stop request: it finishes, the epoch is saved, then the loop stops.
            var val = TaskPredictions.Run(model, valLoader, device, config.Input, objective);
            var metrics = ExperimentMetrics.Compute("validation", objective, data.Layout, val, trainMeans: trainMeans);
            bool isBest = state.Observe(epoch, metrics);
            if (isBest) Checkpoint.Save(run.BestCheckpoint, model, ExperimentModel.Info(config, epoch, step, new Dictionary<string, string> { ["monitor"] = train.Monitor, ["value"] = state.Best.ToString("R", CultureInfo.InvariantCulture) }));
            stoppedEarly = state.StoppedEarly;
            double seconds = epochClock.Elapsed.TotalSeconds;
            log.Add(epoch, lossSum / Math.Max(1, batches), taskLoss.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, batches)), metrics, optimizer.Lr, seconds, images / seconds);
            // One file holds weights, optimiser, rule state and log: a kill leaves this epoch's or the previous one's.
            Checkpoint.Save(run.LastCheckpoint, model, ExperimentModel.Info(config, epoch, step, state.ToExtra()) with { Log = log.ToCsv() }, optimizer);
            log.Save(run.File("log.csv"));
            progress.EpochSummary(epoch, seconds, Summary(lossSum / Math.Max(1, batches), metrics, optimizer.Lr), isBest);
            if (state.LrReducedAt == epoch) progress.Message($"validation {state.PlateauMonitor} has not improved for {config.Train.ReduceLrOnPlateau!.Patience} epochs: learning rate × {config.Train.ReduceLrOnPlateau.Factor}");
            if (stoppedEarly) progress.Message($"early stopping: validation {state.StopMonitor} has not improved for {config.Train.EarlyStopping!.Patience} epochs (best at epoch {state.StopBestEpoch})");
            if (cancel.IsCancellationRequested && epoch < train.Epochs && !stoppedEarly)
            {
                interrupted = true;
                progress.Message($"stopped after epoch {epoch}; saved {run.LastCheckpoint}. Continue with: scratchnet train --resume {run.Root}");
                break;
            }
        }
        var failures = trainLoader.Failures.Concat(valLoader.Failures).ToList();
        if (failures.Count > 0) progress.Message($"{failures.Count} image(s) failed to decode during training and were skipped (see skipped.csv)");
        return new TaskTrainResult(log, state.BestEpoch, stoppedEarly, interrupted, clock.Elapsed.TotalSeconds, failures);
    }

    /// <summary>One line: losses and each task's headline validation figure.</summary>
    public static string Summary(double trainLoss, ExperimentMetrics val, double lr)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string> { string.Create(inv, $"train loss {trainLoss:F4}"), string.Create(inv, $"val loss {val.Loss:F4}") };
        foreach (var t in val.Tasks)
            parts.Add(t.Kind switch
            {
                "classification" => string.Create(inv, $"{t.Task} acc {t.Accuracy:F4}"),
                "regression" => string.Create(inv, $"{t.Task} MAE {t.Regression!.Mae:G4}"),
                _ => string.Create(inv, $"{t.Task} F1 {t.MacroF1:F4} exact {t.AtThreshold!.ExactMatchRatio:F3}"),
            });
        parts.Add(string.Create(inv, $"lr {lr:G3}"));
        return string.Join(", ", parts);
    }
}
