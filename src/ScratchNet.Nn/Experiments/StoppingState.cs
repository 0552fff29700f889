using System.Globalization;
using ScratchNet.Nn.Experiments.Config;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// The per-epoch bookkeeping of a config run that must survive a resume: the best monitored value (which picks
/// <c>best.safetensors</c>), early stopping's and reduce-on-plateau's counters, the plateau's learning-rate
/// factor, and, for a run interrupted mid-epoch, how far into the epoch it got. Stored as strings in the
/// <c>last</c> checkpoint's sidecar.
/// </summary>
/// <remarks>
/// "Improved" follows PyTorch/Keras: for a minimised figure <c>v &lt; best − min_delta</c>, for a maximised one
/// <c>v &gt; best + min_delta</c>; a NaN never improves. Reduce-on-plateau multiplies the rate by <c>factor</c>
/// (not below <c>min_lr</c>) after <c>patience</c> epochs without improvement, then starts counting again; with a
/// cosine schedule the factor scales the cosine's rate.
/// </remarks>
public sealed class StoppingState
{
    private readonly ExperimentConfig config;

    /// <summary>Fresh state for <paramref name="config"/>.</summary>
    public StoppingState(ExperimentConfig config)
    {
        this.config = config;
        Best = StopBest = PlateauBest = double.NaN;
    }

    /// <summary>Best value of <c>train.monitor</c> so far (NaN before the first finite one).</summary>
    public double Best { get; private set; }
    /// <summary>Epoch of <see cref="Best"/> (0 = none).</summary>
    public int BestEpoch { get; private set; }
    /// <summary>Early stopping's monitored figure.</summary>
    public string StopMonitor => config.Train.EarlyStopping?.Monitor ?? config.Train.Monitor;
    /// <summary>Early stopping's best value.</summary>
    public double StopBest { get; private set; }
    /// <summary>Epoch of <see cref="StopBest"/>.</summary>
    public int StopBestEpoch { get; private set; }
    /// <summary>Epochs since early stopping's monitor last improved.</summary>
    public int StopBad { get; private set; }
    /// <summary>True once early stopping has fired.</summary>
    public bool StoppedEarly { get; private set; }
    /// <summary>Reduce-on-plateau's monitored figure.</summary>
    public string PlateauMonitor => config.Train.ReduceLrOnPlateau?.Monitor ?? config.Train.Monitor;
    /// <summary>Reduce-on-plateau's best value.</summary>
    public double PlateauBest { get; private set; }
    /// <summary>Epochs since the plateau monitor last improved.</summary>
    public int PlateauBad { get; private set; }
    /// <summary>Product of the reductions so far (1 = none).</summary>
    public double LrFactor { get; private set; } = 1;
    /// <summary>The last epoch at which the rate was reduced (0 = never).</summary>
    public int LrReducedAt { get; private set; }
    /// <summary>Batches of an interrupted epoch already in the weights.</summary>
    public int PartialBatches { get; private set; }
    /// <summary>Images of those batches.</summary>
    public int PartialImages { get; private set; }
    /// <summary>Sum of their total losses.</summary>
    public double PartialLoss { get; private set; }
    /// <summary>Sum of their per-task losses.</summary>
    public Dictionary<string, double> PartialTaskLoss { get; private set; } = new();

    /// <summary>The epoch's learning rate: the schedule's rate × the plateau factor, not below <c>min_lr</c> once reduced.</summary>
    public double LearningRate(double scheduled) =>
        LrFactor == 1 ? scheduled : Math.Max(scheduled * LrFactor, config.Train.ReduceLrOnPlateau?.MinLr ?? 0);

    /// <summary>Takes an epoch's validation figures; returns true when <c>train.monitor</c> improved (save <c>best</c>).</summary>
    public bool Observe(int epoch, ExperimentMetrics val)
    {
        bool isBest = false;
        double v = val.Monitor(config.Train.Monitor);
        if (Improved(v, Best, config.Train.Monitor, 0)) { Best = v; BestEpoch = epoch; isBest = true; }
        if (config.Train.EarlyStopping is { } es)
        {
            double s = val.Monitor(StopMonitor);
            if (Improved(s, StopBest, StopMonitor, es.MinDelta)) { StopBest = s; StopBestEpoch = epoch; StopBad = 0; }
            else if (++StopBad >= es.Patience) StoppedEarly = true;
        }
        if (config.Train.ReduceLrOnPlateau is { } rp)
        {
            double p = val.Monitor(PlateauMonitor);
            if (Improved(p, PlateauBest, PlateauMonitor, 0)) { PlateauBest = p; PlateauBad = 0; }
            else if (++PlateauBad >= rp.Patience) { LrFactor *= rp.Factor; PlateauBad = 0; LrReducedAt = epoch; }
        }
        return isBest;
    }

    private static bool Improved(double value, double best, string monitor, double minDelta)
    {
        if (double.IsNaN(value)) return false;
        if (double.IsNaN(best)) return true;
        return Monitors.LowerIsBetter(monitor) ? value < best - minDelta : value > best + minDelta;
    }

    /// <summary>Remembers how far an interrupted epoch got.</summary>
    public void SetPartial(int batches, int images, double loss, Dictionary<string, double> taskLoss)
    {
        PartialBatches = batches; PartialImages = images; PartialLoss = loss; PartialTaskLoss = new(taskLoss);
    }

    /// <summary>Forgets the partial epoch (it has been replayed).</summary>
    public void ClearPartial() => SetPartial(0, 0, 0, new());

    /// <summary>The state as sidecar strings.</summary>
    public Dictionary<string, string> ToExtra()
    {
        var inv = CultureInfo.InvariantCulture;
        var d = new Dictionary<string, string>
        {
            ["best"] = Best.ToString("R", inv), ["best_epoch"] = BestEpoch.ToString(inv),
            ["stop_best"] = StopBest.ToString("R", inv), ["stop_best_epoch"] = StopBestEpoch.ToString(inv), ["stop_bad"] = StopBad.ToString(inv),
            ["stopped_early"] = StoppedEarly ? "true" : "false",
            ["plateau_best"] = PlateauBest.ToString("R", inv), ["plateau_bad"] = PlateauBad.ToString(inv),
            ["lr_factor"] = LrFactor.ToString("R", inv), ["lr_reduced_at"] = LrReducedAt.ToString(inv),
            ["partial_batches"] = PartialBatches.ToString(inv), ["partial_images"] = PartialImages.ToString(inv), ["partial_loss"] = PartialLoss.ToString("R", inv),
        };
        foreach (var (task, l) in PartialTaskLoss) d["partial_loss." + task] = l.ToString("R", inv);
        return d;
    }

    /// <summary>State read back from a sidecar written with <see cref="ToExtra"/>.</summary>
    public static StoppingState From(ExperimentConfig config, IReadOnlyDictionary<string, string> extra)
    {
        var inv = CultureInfo.InvariantCulture;
        double D(string k) => double.Parse(extra.GetValueOrDefault(k, "NaN"), inv);
        int I(string k) => int.Parse(extra.GetValueOrDefault(k, "0"), inv);
        return new StoppingState(config)
        {
            Best = D("best"), BestEpoch = I("best_epoch"),
            StopBest = D("stop_best"), StopBestEpoch = I("stop_best_epoch"), StopBad = I("stop_bad"), StoppedEarly = extra.GetValueOrDefault("stopped_early") == "true",
            PlateauBest = D("plateau_best"), PlateauBad = I("plateau_bad"), LrFactor = double.Parse(extra.GetValueOrDefault("lr_factor", "1"), inv), LrReducedAt = I("lr_reduced_at"),
            PartialBatches = I("partial_batches"), PartialImages = I("partial_images"), PartialLoss = double.Parse(extra.GetValueOrDefault("partial_loss", "0"), inv),
            PartialTaskLoss = extra.Where(kv => kv.Key.StartsWith("partial_loss.", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key["partial_loss.".Length..], kv => double.Parse(kv.Value, inv)),
        };
    }
}
