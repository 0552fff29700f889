using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using static ScratchNet.Tests.Tasks.TaskFixtures;

namespace ScratchNet.Tests.Tasks;

/// <summary>Best epoch, early stopping, reduce-on-plateau and their checkpoint round trip.</summary>
public class StoppingStateTests
{
    private static ExperimentConfig ConfigWith(string monitor = "val_loss", EarlyStoppingConfig? stop = null, ReduceLrConfig? plateau = null) =>
        Config([Class("kind", "a", "b")], train: new TrainConfig { Monitor = monitor, EarlyStopping = stop, ReduceLrOnPlateau = plateau, Lr = 1e-3 });

    /// <summary>Validation figures with the given total loss and kind accuracy.</summary>
    private static ExperimentMetrics Val(double loss, double accuracy = 0.5) => new()
    {
        Split = "validation",
        Loss = loss,
        Tasks = [new TaskResult { Task = "kind", Kind = "classification", Accuracy = accuracy, Loss = loss }],
    };

    /// <summary>Observes the losses in turn; returns the epochs whose Observe said "best" and the first epoch that stopped.</summary>
    private static (List<int> Best, int StoppedAt) Feed(StoppingState s, params double[] losses)
    {
        var best = new List<int>();
        int stoppedAt = 0;
        for (int e = 1; e <= losses.Length; e++)
        {
            if (s.Observe(e, Val(losses[e - 1]))) best.Add(e);
            if (s.StoppedEarly && stoppedAt == 0) stoppedAt = e;
        }
        return (best, stoppedAt);
    }

    [Fact]
    public void EarlyStoppingFiresAfterPatienceEpochsWithoutImprovement()
    {
        var s = new StoppingState(ConfigWith(stop: new EarlyStoppingConfig { Patience = 3 }));
        var (best, stoppedAt) = Feed(s, 1.0, 0.9, 0.95, 0.9, 0.91);
        Assert.Equal([1, 2], best);           // an equal value is not an improvement
        Assert.Equal(5, stoppedAt);           // epochs 3, 4, 5 without improvement
        Assert.Equal(2, s.StopBestEpoch);
        Assert.Equal(0.9, s.StopBest);
    }

    [Fact]
    public void AnImprovementResetsThePatienceCount()
    {
        var s = new StoppingState(ConfigWith(stop: new EarlyStoppingConfig { Patience = 2 }));
        var (_, stoppedAt) = Feed(s, 1.0, 1.1, 0.8, 0.9, 0.85);
        Assert.Equal(5, stoppedAt);
        Assert.Equal(3, s.StopBestEpoch);
    }

    [Fact]
    public void MinDeltaDecidesWhatCountsForStoppingButNotForTheBestCheckpoint()
    {
        var s = new StoppingState(ConfigWith(stop: new EarlyStoppingConfig { Patience = 2, MinDelta = 0.05 }));
        var (best, stoppedAt) = Feed(s, 1.0, 0.97, 0.96);
        Assert.Equal([1, 2, 3], best);        // train.monitor has no min_delta
        Assert.Equal(3, stoppedAt);           // 0.97 and 0.96 are not 0.05 below 1.0
        Assert.Equal(1, s.StopBestEpoch);

        var t = new StoppingState(ConfigWith(stop: new EarlyStoppingConfig { Patience = 2, MinDelta = 0.05 }));
        Feed(t, 1.0, 0.94);
        Assert.Equal(2, t.StopBestEpoch);
        Assert.Equal(0, t.StopBad);
    }

    [Fact]
    public void AMaximisedMonitorImprovesUpwards()
    {
        var s = new StoppingState(ConfigWith("kind.accuracy", new EarlyStoppingConfig { Patience = 2, MinDelta = 0.01 }));
        double[] acc = [0.5, 0.6, 0.605, 0.55, 0.7];
        var best = new List<int>();
        int stoppedAt = 0;
        for (int e = 1; e <= acc.Length && stoppedAt == 0; e++)
        {
            if (s.Observe(e, Val(1.0 / e, acc[e - 1]))) best.Add(e);
            if (s.StoppedEarly) stoppedAt = e;
        }
        Assert.Equal([1, 2, 3], best);        // higher is better (the loss falling every epoch is not watched)
        Assert.Equal(4, stoppedAt);           // 0.605 is within min_delta of 0.6; 0.55 is worse
        Assert.Equal(0.6, s.StopBest);
        Assert.Equal(3, s.BestEpoch);
        Assert.Equal(0.605, s.Best);
    }

    [Fact]
    public void EarlyStoppingCanWatchAnotherFigureThanTheBestCheckpoint()
    {
        var s = new StoppingState(ConfigWith("val_loss", new EarlyStoppingConfig { Monitor = "kind.accuracy", Patience = 1 }));
        Assert.Equal("kind.accuracy", s.StopMonitor);
        Assert.True(s.Observe(1, Val(1.0, 0.8)));
        Assert.True(s.Observe(2, Val(0.9, 0.7)));
        Assert.True(s.StoppedEarly);
    }

    [Fact]
    public void NaNNeverImproves()
    {
        var s = new StoppingState(ConfigWith(stop: new EarlyStoppingConfig { Patience = 2 }));
        var (best, stoppedAt) = Feed(s, double.NaN, 1.0, double.NaN, double.NaN);
        Assert.Equal([2], best);
        Assert.Equal(4, stoppedAt);
        Assert.Equal(1.0, s.Best);
    }

    [Fact]
    public void PlateauReducesTheRateByFactorAndStopsAtMinLr()
    {
        var s = new StoppingState(ConfigWith(plateau: new ReduceLrConfig { Factor = 0.5, Patience = 2, MinLr = 3e-4 }));
        Assert.Equal(1e-3, s.LearningRate(1e-3));
        Feed(s, 1.0, 1.0, 1.2);               // epochs 2, 3 without improvement
        Assert.Equal(0.5, s.LrFactor);
        Assert.Equal(3, s.LrReducedAt);
        Assert.Equal(5e-4, s.LearningRate(1e-3), 15);
        Assert.False(s.StoppedEarly);         // no early stopping configured
        s.Observe(4, Val(1.1));                // the count restarted after the reduction: one bad epoch only
        Assert.Equal(0.5, s.LrFactor);
        s.Observe(5, Val(1.1));
        Assert.Equal(0.25, s.LrFactor);
        Assert.Equal(5, s.LrReducedAt);
        Assert.Equal(3e-4, s.LearningRate(1e-3), 15); // 2.5e-4 is below min_lr
        s.Observe(6, Val(0.5));               // improvement: no change, count reset
        s.Observe(7, Val(0.6));
        Assert.Equal(0.25, s.LrFactor);
        Assert.Equal(1, s.PlateauBad);
    }

    [Fact]
    public void StateRoundTripsThroughTheCheckpointExtra()
    {
        var config = ConfigWith("kind.accuracy",
            new EarlyStoppingConfig { Patience = 4, MinDelta = 0.001 },
            new ReduceLrConfig { Monitor = "val_loss", Factor = 0.3, Patience = 1, MinLr = 1e-5 });
        var s = new StoppingState(config);
        s.Observe(1, Val(double.NaN, 0.4));
        s.Observe(2, Val(0.8, 0.6));
        s.Observe(3, Val(0.9, 0.55));
        s.SetPartial(3, 24, 1.2345678901234567, new Dictionary<string, double> { ["kind"] = 0.1 / 3, ["other"] = double.NaN });

        var extra = s.ToExtra();
        Assert.All(extra.Values, v => Assert.False(string.IsNullOrEmpty(v)));
        var r = StoppingState.From(config, extra);
        Assert.Equal(extra, r.ToExtra());
        Assert.Equal(s.Best, r.Best);
        Assert.Equal(s.BestEpoch, r.BestEpoch);
        Assert.Equal(s.StopBest, r.StopBest);
        Assert.Equal(s.StopBad, r.StopBad);
        Assert.Equal(s.PlateauBest, r.PlateauBest);
        Assert.Equal(s.PlateauBad, r.PlateauBad);
        Assert.Equal(0.09, r.LrFactor, 15);   // reduced after epochs 1 (NaN loss) and 3
        Assert.Equal(3, r.LrReducedAt);
        Assert.Equal(3, r.PartialBatches);
        Assert.Equal(24, r.PartialImages);
        Assert.Equal(1.2345678901234567, r.PartialLoss);
        Assert.Equal(0.1 / 3, r.PartialTaskLoss["kind"]);
        Assert.True(double.IsNaN(r.PartialTaskLoss["other"]));

        // The restored state carries on exactly as the original.
        foreach (var (e, loss, acc) in new[] { (4, 0.95, 0.5), (5, 0.7, 0.58), (6, 0.7, 0.59), (7, 0.71, 0.6) })
        {
            Assert.Equal(s.Observe(e, Val(loss, acc)), r.Observe(e, Val(loss, acc)));
            Assert.Equal(s.ToExtra(), r.ToExtra());
        }
        Assert.True(r.StoppedEarly);

        // A fresh state's NaNs survive too.
        var fresh = StoppingState.From(config, new StoppingState(config).ToExtra());
        Assert.True(double.IsNaN(fresh.Best));
        Assert.Equal(1, fresh.LrFactor);
        r.ClearPartial();
        Assert.Equal(0, r.PartialBatches);
        Assert.Empty(r.PartialTaskLoss);
    }
}
