using System.Text.Json;
using ScratchNet.Nn.Metrics;

namespace ScratchNet.Tests.Metrics;

/// <summary>ConfusionMatrix and BinaryClassificationMetrics against hand-computed values and scikit-learn's edge cases.</summary>
public class ClassificationMetricsTests
{
    private const int Digits = 12;

    // true: 0 0 0 1 1 2 2 2 2 / pred: 0 1 0 1 2 2 2 0 1
    // C = [[2,1,0],[0,1,1],[1,1,2]]
    private static ConfusionMatrix ThreeClass() =>
        ConfusionMatrix.From([0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 1, 0, 1, 2, 2, 2, 0, 1], 3, ["A", "B", "C"]);

    [Fact]
    public void ConfusionMatrixCountsAndPerClassScores()
    {
        var cm = ThreeClass();
        Assert.Equal(9, cm.Total);
        Assert.Equal([[2L, 1, 0], [0L, 1, 1], [1L, 1, 2]], cm.Counts);
        Assert.Equal(2, cm[0, 0]);
        Assert.Equal(1, cm[2, 0]);
        Assert.Equal(4, cm.Support(2));
        Assert.Equal(3, cm.PredictedCount(1));
        Assert.Equal(5.0 / 9, cm.Accuracy, Digits);

        Assert.Equal(2.0 / 3, cm.Precision(0), Digits);
        Assert.Equal(2.0 / 3, cm.Recall(0), Digits);
        Assert.Equal(2.0 / 3, cm.F1(0), Digits);
        Assert.Equal(1.0 / 3, cm.Precision(1), Digits);
        Assert.Equal(0.5, cm.Recall(1), Digits);
        Assert.Equal(0.4, cm.F1(1), Digits);
        Assert.Equal(2.0 / 3, cm.Precision(2), Digits);
        Assert.Equal(0.5, cm.Recall(2), Digits);
        Assert.Equal(4.0 / 7, cm.F1(2), Digits);
        Assert.Equal((2.0 / 3 + 0.4 + 4.0 / 7) / 3, cm.MacroF1, Digits);
        Assert.Equal((2.0 / 3 + 1.0 / 3 + 2.0 / 3) / 3, cm.MacroPrecision, Digits);
        Assert.Equal((2.0 / 3 + 0.5 + 0.5) / 3, cm.MacroRecall, Digits);
    }

    [Fact]
    public void AbsentClassScoresZeroAndStillCountsInTheMacroAverage()
    {
        // class 2 never occurs and is never predicted; classes 0/1 perfect
        var cm = ConfusionMatrix.From([0, 1, 1], [0, 1, 1], 3);
        Assert.Equal(1.0, cm.Accuracy);
        Assert.Equal(0.0, cm.Precision(2));
        Assert.Equal(0.0, cm.Recall(2));
        Assert.Equal(0.0, cm.F1(2));
        Assert.Equal(2.0 / 3, cm.MacroF1, Digits);
        Assert.Equal(["0", "1", "2"], cm.Labels);
    }

    [Fact]
    public void EmptyMatrixIsAllZero()
    {
        var cm = new ConfusionMatrix(2);
        Assert.Equal(0, cm.Total);
        Assert.Equal(0.0, cm.Accuracy);
        Assert.Equal(0.0, cm.MacroF1);
    }

    [Fact]
    public void ConfusionMatrixRejectsBadInput()
    {
        var cm = new ConfusionMatrix(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => cm.Add(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cm.Add(0, -1));
        Assert.Throws<ArgumentException>(() => cm.AddRange([0, 1], [0]));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(2, ["only one"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(0));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(["a", "b"], [[1, 2], [3]]));
    }

    [Fact]
    public void ConfusionMatrixTextAndJsonRoundTrip()
    {
        var cm = ThreeClass();
        string text = cm.ToText();
        Assert.Contains("[0] A", text);
        Assert.Contains("accuracy 0.5556", text);
        Assert.Contains("macro F1", text);

        string json = JsonSerializer.Serialize(cm);
        var back = JsonSerializer.Deserialize<ConfusionMatrix>(json)!;
        Assert.Equal(cm.Counts, back.Counts);
        Assert.Equal(cm.Labels, back.Labels);
        Assert.Equal(cm.Total, back.Total);
        Assert.Equal(cm.MacroF1, back.MacroF1, Digits);
    }

    [Fact]
    public void BinaryMetricsHandComputed()
    {
        // TP 3 (0,2,7), FN 1 (1), FP 1 (4), TN 3 (3,5,6)
        var m = BinaryClassificationMetrics.Compute([1, 1, 1, 0, 0, 0, 0, 1], [1, 0, 1, 0, 1, 0, 0, 1], 1, "sky", "not sky");
        Assert.Equal((3L, 1L, 3L, 1L), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));
        Assert.Equal(8, m.Count);
        Assert.Equal(0.75, m.Accuracy, Digits);
        Assert.Equal(0.75, m.Precision, Digits);
        Assert.Equal(0.75, m.Recall, Digits);
        Assert.Equal(0.75, m.F1, Digits);
        Assert.Equal(0.5, m.MatthewsCorrelation, Digits); // (9 − 1) / √(4·4·4·4)
        Assert.Equal("sky", m.PositiveClass);

        var cm = m.ToConfusionMatrix();
        Assert.Equal(["not sky", "sky"], cm.Labels);
        Assert.Equal([[3L, 1], [1L, 3]], cm.Counts);
        Assert.Equal(m.Accuracy, cm.Accuracy, Digits);
        Assert.Equal(m.F1, cm.F1(1), Digits);
    }

    [Fact]
    public void AsymmetricBinaryCase()
    {
        // TP 2, FP 3, TN 4, FN 1: P = 2/5, R = 2/3, F1 = 4/(4+3+1) = 0.5
        var m = BinaryClassificationMetrics.FromCounts(2, 3, 4, 1);
        Assert.Equal(0.6, m.Accuracy, Digits);
        Assert.Equal(0.4, m.Precision, Digits);
        Assert.Equal(2.0 / 3, m.Recall, Digits);
        Assert.Equal(0.5, m.F1, Digits);
        Assert.Equal(2 * 0.4 * (2.0 / 3) / (0.4 + 2.0 / 3), m.F1, Digits);
        Assert.Equal((8.0 - 3) / Math.Sqrt(5.0 * 3 * 7 * 5), m.MatthewsCorrelation, Digits);
    }

    [Fact]
    public void NoPositivePredictedGivesZeroPrecisionRecallF1()
    {
        var m = BinaryClassificationMetrics.Compute([1, 0, 1], [0, 0, 0]);
        Assert.Equal(1.0 / 3, m.Accuracy, Digits);
        Assert.Equal(0.0, m.Precision);
        Assert.Equal(0.0, m.Recall);
        Assert.Equal(0.0, m.F1);
        Assert.Equal(0.0, m.MatthewsCorrelation);
    }

    [Fact]
    public void NoPositiveAtAllIsAccurateButScoresZero()
    {
        // sklearn zero_division=0: precision, recall and F1 all 0 although every prediction is right
        var m = BinaryClassificationMetrics.Compute([0, 0, 0], [0, 0, 0]);
        Assert.Equal(1.0, m.Accuracy);
        Assert.Equal(0.0, m.Precision);
        Assert.Equal(0.0, m.Recall);
        Assert.Equal(0.0, m.F1);
        Assert.Equal(0.0, m.MatthewsCorrelation);
    }

    [Fact]
    public void AllCorrectAndAllWrong()
    {
        var right = BinaryClassificationMetrics.Compute([1, 0, 1, 0, 1], [1, 0, 1, 0, 1]);
        Assert.Equal((1.0, 1.0, 1.0, 1.0, 1.0), (right.Accuracy, right.Precision, right.Recall, right.F1, right.MatthewsCorrelation));

        var wrong = BinaryClassificationMetrics.Compute([1, 0, 1, 0], [0, 1, 0, 1]);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (wrong.Accuracy, wrong.Precision, wrong.Recall, wrong.F1));
        Assert.Equal(-1.0, wrong.MatthewsCorrelation, Digits);
    }

    [Fact]
    public void EmptyInputIsAllZero()
    {
        var m = BinaryClassificationMetrics.Compute([], []);
        Assert.Equal(0, m.Count);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (m.Accuracy, m.Precision, m.Recall, m.F1));
    }

    [Fact]
    public void PositiveLabelCanBeAnyValueAndProbabilitiesCutAtThreshold()
    {
        // positive = label 0 here: TP = 1 (index 0), FN = 1 (index 1), TN = 1 (index 2)
        var m = BinaryClassificationMetrics.Compute([0, 0, 1], [0, 1, 1], positiveLabel: 0);
        Assert.Equal((1L, 0L, 1L, 1L), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));

        // p ≥ threshold is positive: 0.5 counts as positive at threshold 0.5
        var p = BinaryClassificationMetrics.FromProbabilities([1, 1, 0, 0], [0.5, 0.49, 0.51, 0.1]);
        Assert.Equal((1L, 1L, 1L, 1L), (p.TruePositives, p.FalsePositives, p.TrueNegatives, p.FalseNegatives));
        var strict = BinaryClassificationMetrics.FromProbabilities([1, 1, 0, 0], [0.5, 0.49, 0.51, 0.1], threshold: 0.6);
        Assert.Equal(0, strict.TruePositives);
        Assert.Throws<ArgumentException>(() => BinaryClassificationMetrics.Compute([1, 0], [1]));
    }

    [Fact]
    public void BinaryMetricsJsonRoundTrip()
    {
        var m = BinaryClassificationMetrics.FromCounts(2, 3, 4, 1, "sky", "not sky");
        var back = JsonSerializer.Deserialize<BinaryClassificationMetrics>(JsonSerializer.Serialize(m));
        Assert.Equal(m, back);
        Assert.Contains("F1", m.ToText());
    }
}
