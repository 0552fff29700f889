using ScratchNet.Nn.Metrics;

namespace ScratchNet.Tests.Metrics;

/// <summary>RegressionMetrics against hand-computed values, the constant-target convention and the baseline helper.</summary>
public class RegressionMetricsTests
{
    private const int Digits = 12;

    [Fact]
    public void HandComputedExample()
    {
        // y = [3, −0.5, 2, 7], ŷ = [2.5, 0, 2, 8]: errors 0.5, −0.5, 0, −1
        // ȳ = 2.875, SS_tot = 29.1875, SS_res = 1.5
        var m = RegressionMetrics.Compute([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
        Assert.Equal(4, m.Count);
        Assert.Equal(0.5, m.Mae, Digits);
        Assert.Equal(0.375, m.Mse, Digits);
        Assert.Equal(Math.Sqrt(0.375), m.Rmse, Digits);
        Assert.Equal(1 - 1.5 / 29.1875, m.R2, Digits);
        Assert.Equal(0.948608137044968, m.R2, Digits);
        Assert.Equal(2.875, m.TargetMean, Digits);
    }

    [Fact]
    public void PerfectPredictionsAndNegativeR2()
    {
        var perfect = RegressionMetrics.Compute([1, 2, 3], [1, 2, 3]);
        Assert.Equal((0.0, 0.0, 0.0, 1.0), (perfect.Mae, perfect.Mse, perfect.Rmse, perfect.R2));

        // reversed: SS_res = 4 + 0 + 4 = 8, SS_tot = 2 → R² = 1 − 4 = −3
        var reversed = RegressionMetrics.Compute([1, 2, 3], [3, 2, 1]);
        Assert.Equal(-3.0, reversed.R2, Digits);
        Assert.Equal(4.0 / 3, reversed.Mae, Digits);
    }

    [Fact]
    public void ConstantTargetsFollowScikitLearnForceFinite()
    {
        // SS_tot = 0: R² = 1 for perfect predictions, 0 otherwise
        Assert.Equal(1.0, RegressionMetrics.Compute([5, 5, 5], [5, 5, 5]).R2);
        var off = RegressionMetrics.Compute([5, 5, 5], [4, 5, 6]);
        Assert.Equal(0.0, off.R2);
        Assert.Equal(2.0 / 3, off.Mae, Digits);
        Assert.Equal(2.0 / 3, off.Mse, Digits);
        Assert.Equal(1.0, RegressionMetrics.Compute([7], [7]).R2);
        Assert.Equal(0.0, RegressionMetrics.Compute([7], [8]).R2);
    }

    [Fact]
    public void BaselineOfAConstant()
    {
        double[] y = [1, 2, 3, 4];
        double mean = RegressionMetrics.Mean(y);
        Assert.Equal(2.5, mean);
        var atMean = RegressionMetrics.Baseline(y, mean);
        Assert.Equal(1.0, atMean.Mae, Digits);
        Assert.Equal(1.25, atMean.Mse, Digits);
        Assert.Equal(0.0, atMean.R2, Digits);

        // a "training mean" of 3 scored on this set: errors 2, 1, 0, 1 → MAE 1, MSE 1.5, R² = 1 − 6/5
        var atTrainMean = RegressionMetrics.Baseline(y, 3);
        Assert.Equal(1.0, atTrainMean.Mae, Digits);
        Assert.Equal(1.5, atTrainMean.Mse, Digits);
        Assert.Equal(-0.2, atTrainMean.R2, Digits);
    }

    [Fact]
    public void FloatOverloadMatchesDouble()
    {
        var f = RegressionMetrics.Compute([3f, -0.5f, 2f, 7f], [2.5f, 0f, 2f, 8f]);
        Assert.Equal(0.5, f.Mae, Digits);
        Assert.Equal(0.948608137044968, f.R2, Digits);
    }

    [Fact]
    public void RejectsEmptyAndMismatched()
    {
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1.0, 2.0], [1.0]));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Mean(ReadOnlySpan<double>.Empty));
    }

    [Fact]
    public void TextNamesEveryMetric()
    {
        string text = RegressionMetrics.Compute([3, -0.5, 2, 7], [2.5, 0, 2, 8]).ToText();
        Assert.Contains("MAE 0.5000", text);
        Assert.Contains("R² 0.9486", text);
        Assert.Contains("N = 4", text);
    }
}
