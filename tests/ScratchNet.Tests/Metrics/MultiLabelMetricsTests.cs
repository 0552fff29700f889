using ScratchNet.Nn.Metrics;

namespace ScratchNet.Tests.Metrics;

/// <summary>Hamming loss, exact match, per-class scores, MCC and MCC threshold tuning.</summary>
public class MultiLabelMetricsTests
{
    private const int Digits = 12;

    // N = 3, K = 2, row-major
    private static readonly int[] YTrue = [1, 0, 0, 1, 1, 1];
    private static readonly int[] YPred = [1, 0, 1, 1, 0, 1];

    [Fact]
    public void HammingLossAndExactMatch()
    {
        // wrong bits: (1, c0), (2, c0) → 2/6; exact rows: row 0 only → 1/3
        Assert.Equal(1.0 / 3, MultiLabelMetrics.ComputeHammingLoss(YTrue, YPred, 2), Digits);
        Assert.Equal(1.0 / 3, MultiLabelMetrics.ComputeExactMatchRatio(YTrue, YPred, 2), Digits);
        Assert.Equal(0.0, MultiLabelMetrics.ComputeHammingLoss(YTrue, YTrue, 2));
        Assert.Equal(1.0, MultiLabelMetrics.ComputeExactMatchRatio(YTrue, YTrue, 2));
        int[] flipped = YTrue.Select(v => 1 - v).ToArray();
        Assert.Equal(1.0, MultiLabelMetrics.ComputeHammingLoss(YTrue, flipped, 2));
        Assert.Equal(0.0, MultiLabelMetrics.ComputeExactMatchRatio(YTrue, flipped, 2));
    }

    [Fact]
    public void PerClassScores()
    {
        var m = MultiLabelMetrics.FromPredictions(YTrue, YPred, 2, ["sea", "trees"]);
        Assert.Equal(3, m.SampleCount);
        Assert.Equal(1.0 / 3, m.HammingLoss, Digits);
        Assert.Equal(1.0 / 3, m.ExactMatchRatio, Digits);
        // class 0: t = [1,0,1], p = [1,1,0] → TP 1, FP 1, FN 1, TN 0
        var sea = m.PerClass[0];
        Assert.Equal((1L, 1L, 0L, 1L), (sea.TruePositives, sea.FalsePositives, sea.TrueNegatives, sea.FalseNegatives));
        Assert.Equal(0.5, sea.Precision, Digits);
        Assert.Equal(0.5, sea.Recall, Digits);
        Assert.Equal(0.5, sea.F1, Digits);
        Assert.Equal(-0.5, sea.MatthewsCorrelation, Digits); // (0 − 1) / √(2·2·1·1)
        // class 1: perfect
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (m.PerClass[1].Precision, m.PerClass[1].Recall, m.PerClass[1].F1, m.PerClass[1].MatthewsCorrelation));
        Assert.Equal(0.75, m.MacroF1, Digits);
        Assert.Equal("sea", m.PerClass[0].PositiveClass);
        Assert.Contains("trees", m.ToText());
    }

    [Fact]
    public void ProbabilitiesAtAThresholdMatchHardPredictions()
    {
        double[] probs = [0.9, 0.2, 0.5, 0.7, 0.49, 0.8]; // ≥ 0.5 → [1,0,1,1,0,1] = YPred
        var m = MultiLabelMetrics.Compute(YTrue, probs, 2);
        var hard = MultiLabelMetrics.FromPredictions(YTrue, YPred, 2);
        Assert.Equal(hard.HammingLoss, m.HammingLoss);
        Assert.Equal(hard.ExactMatchRatio, m.ExactMatchRatio);
        Assert.Equal([0.5, 0.5], m.Thresholds);
        Assert.Equal(hard.PerClass, m.PerClass);
    }

    [Fact]
    public void MatthewsCorrelationValues()
    {
        Assert.Equal(24 / Math.Sqrt(8.0 * 9 * 7 * 8), MultiLabelMetrics.MatthewsCorrelation(6, 2, 5, 3), Digits);
        Assert.Equal(0.3779644730092272, MultiLabelMetrics.MatthewsCorrelation(6, 2, 5, 3), Digits);
        Assert.Equal(1.0, MultiLabelMetrics.MatthewsCorrelation([1, 0, 1], [1, 0, 1]));
        Assert.Equal(-1.0, MultiLabelMetrics.MatthewsCorrelation([1, 0, 1], [0, 1, 0]));
        Assert.Equal(0.0, MultiLabelMetrics.MatthewsCorrelation([1, 1, 1], [1, 1, 1])); // no negatives: undefined → 0
        Assert.Equal(0.0, MultiLabelMetrics.MatthewsCorrelation(0, 0, 0, 0));
        // large counts do not overflow
        Assert.Equal(1.0, MultiLabelMetrics.MatthewsCorrelation(3_000_000_000, 0, 3_000_000_000, 0), Digits);
    }

    [Fact]
    public void ThresholdTuningPicksTheSeparatingThreshold()
    {
        // K = 3, N = 8.
        // class 0: positives at 0.32, 0.35, 0.40, 0.45; negatives at 0.05, 0.10, 0.20, 0.25 →
        //   only t = 0.30 on the grid separates them (0.25 lets a negative in, 0.35 drops 0.32).
        // class 1: no positive at all → MCC 0 everywhere → the tie rule keeps 0.5.
        // class 2: positives 0.9, 0.95, negatives ≤ 0.2 → every t in 0.25 … 0.90 is perfect → nearest 0.5.
        double[][] p =
        [
            [0.32, 0.10, 0.90], [0.35, 0.20, 0.95], [0.40, 0.30, 0.10], [0.45, 0.70, 0.20],
            [0.05, 0.05, 0.15], [0.10, 0.15, 0.05], [0.20, 0.60, 0.10], [0.25, 0.90, 0.20],
        ];
        int[][] y =
        [
            [1, 0, 1], [1, 0, 1], [1, 0, 0], [1, 0, 0],
            [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0],
        ];
        double[] probs = p.SelectMany(r => r).ToArray();
        int[] labels = y.SelectMany(r => r).ToArray();

        double[] t = MultiLabelMetrics.TuneThresholds(labels, probs, 3);
        Assert.Equal(0.30, t[0], 10);
        Assert.Equal(0.50, t[1], 10);
        Assert.Equal(0.50, t[2], 10);

        var tuned = MultiLabelMetrics.Compute(labels, probs, 3, t);
        var fixedHalf = MultiLabelMetrics.Compute(labels, probs, 3, 0.5);
        Assert.Equal(1.0, tuned.PerClass[0].F1);
        Assert.Equal(1.0, tuned.PerClass[0].MatthewsCorrelation, Digits);
        Assert.Equal(0.0, fixedHalf.PerClass[0].F1); // nothing reaches 0.5 in class 0
        Assert.True(tuned.HammingLoss < fixedHalf.HammingLoss);
        Assert.Equal(t, tuned.Thresholds);
    }

    [Fact]
    public void ThresholdGridRespectsRangeAndStep()
    {
        // positives at 0.95 and 0.99, negatives at 0.88 and 0.1: only the grid's top point 0.9 separates them
        int[] y = [1, 1, 0, 0];
        double[] p = [0.95, 0.99, 0.88, 0.1];
        Assert.Equal(0.9, MultiLabelMetrics.TuneThresholds(y, p, 1)[0], 10);
        // a grid ending at 0.8 always lets 0.88 in: every t in 0.15 … 0.8 ties (TP 2, FP 1, TN 1 → MCC 1/√3), so the
        // tie rule picks 0.5; t = 0.1 also lets 0.1 in (MCC 0)
        Assert.Equal(0.5, MultiLabelMetrics.TuneThresholds(y, p, 1, min: 0.1, max: 0.8)[0], 10);
        Assert.Throws<ArgumentException>(() => MultiLabelMetrics.TuneThresholds(y, p, 1, step: 0));
    }

    [Fact]
    public void RejectsBadShapes()
    {
        Assert.Throws<ArgumentException>(() => MultiLabelMetrics.ComputeHammingLoss([1, 0, 1], [1, 0, 1], 2));
        Assert.Throws<ArgumentException>(() => MultiLabelMetrics.FromPredictions([1, 0], [1], 1));
        Assert.Throws<ArgumentException>(() => MultiLabelMetrics.Compute([1, 0], [0.5, 0.5], 2, [0.5]));
        Assert.Throws<ArgumentException>(() => MultiLabelMetrics.FromPredictions([1, 0], [1, 0], 2, ["one"]));
    }
}
