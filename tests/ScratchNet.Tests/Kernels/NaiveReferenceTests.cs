using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// Checks of the reference itself against values worked out by hand (or tabulated), so that a kernel test
/// failure points at the kernel, not at the reference.
/// </summary>
public class NaiveReferenceTests
{
    private static void Close(double expected, double actual, double tol = 1e-14) =>
        Assert.True(Math.Abs(expected - actual) <= tol, $"expected {expected:R}, actual {actual:R}");

    private static void Close(double[] expected, double[] actual, double tol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"index {i}: expected {expected[i]:R}, actual {actual[i]:R}");
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(-1.5, -0.9661051464753108)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(1e-3, 0.0011283787909692363)]
    public void ErfMatchesTabulatedValues(double x, double erf) => Close(erf, R.Erf(x), 2e-16 + 4e-16 * Math.Abs(erf));

    [Fact]
    public void ErfAgreesWithSimpsonIntegrationOfItsDefinition()
    {
        // erf(x) = (2/√π)∫₀ˣ e^(−t²) dt by composite Simpson, 20000 intervals: error far below 1e-13.
        foreach (double x in new[] { 0.1, 0.7, 1.3, 2.2, 2.6, 3.5, 4.5, -0.9, -5.0 })
        {
            const int n = 20000;
            double h = x / n, s = 1.0 + Math.Exp(-x * x);
            for (int i = 1; i < n; i++) s += (i % 2 == 1 ? 4 : 2) * Math.Exp(-(i * h) * (i * h));
            double simpson = 2.0 / Math.Sqrt(Math.PI) * s * h / 3.0;
            Close(simpson, R.Erf(x), 1e-13);
        }
    }

    [Fact]
    public void ErfSaturatesAndIsOdd()
    {
        Assert.Equal(1.0, R.Erf(7.0));
        Assert.Equal(-1.0, R.Erf(-30.0));
        Assert.Equal(1.0, R.Erf(6.0), 15);
        for (double x = 0.05; x < 6; x += 0.37) Assert.Equal(-R.Erf(x), R.Erf(-x));
    }

    [Fact]
    public void GeluMatchesHandValues()
    {
        Close(0.8413447460685429, R.Gelu(1.0), 1e-15);
        Close(-0.15865525393145707, R.Gelu(-1.0), 1e-15);
        Assert.Equal(0.0, R.Gelu(0.0));
        Close(0.5, R.GeluGrad(0.0));
        // Φ(1) + φ(1) = 0.8413447460685429 + 0.24197072451914337
        Close(1.0833154705876864, R.GeluGrad(1.0), 1e-15);
    }

    [Fact]
    public void GeluGradIsTheDerivativeOfGelu()
    {
        for (double x = -4; x <= 4; x += 0.31)
        {
            const double h = 1e-5;
            double fd = (R.Gelu(x + h) - R.Gelu(x - h)) / (2 * h);
            Close(fd, R.GeluGrad(x), 1e-9);
        }
    }

    [Fact]
    public void SigmoidMatchesHandValuesAndDoesNotOverflow()
    {
        Assert.Equal(0.5, R.Sigmoid(0));
        Close(0.7310585786300049, R.Sigmoid(1));
        Close(0.2689414213699951, R.Sigmoid(-1));
        Assert.Equal(1.0, R.Sigmoid(800));
        Assert.Equal(0.0, R.Sigmoid(-800));
        Assert.False(double.IsNaN(R.Sigmoid(-1000)));
    }

    [Fact]
    public void Conv2dForwardOf3x3ImageWith2x2KernelMatchesHandComputation()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        double[] w = [1, 2, 3, 4];
        var s = new Conv2dShape(1, 1, 3, 3, 1, 2, 2, 1, 0);
        // y[i,j] = x[i,j]·1 + x[i,j+1]·2 + x[i+1,j]·3 + x[i+1,j+1]·4 + 10
        Close([47, 57, 77, 87], R.Conv2dForward(x, w, [10.0], s));
        // stride 2, pad 1: windows start at (-1,-1), (-1,1), (1,-1), (1,1)
        var s2 = new Conv2dShape(1, 1, 3, 3, 1, 2, 2, 2, 1);
        Close([4, 18, 36, 77], R.Conv2dForward(x, w, null, s2));
    }

    [Fact]
    public void Conv2dBackwardsAreTheAdjointsOfTheForward()
    {
        // ⟨conv(x, w), dy⟩ = ⟨x, dx(dy, w)⟩ = ⟨w, dw(x, dy)⟩ for a bias-free conv: the three loops agree.
        var rng = new Random(3);
        foreach (var s in new[] { new Conv2dShape(2, 3, 5, 6, 4, 3, 3, 2, 1), new Conv2dShape(1, 2, 4, 3, 3, 2, 3, 1, 2) })
        {
            double[] x = Rand(rng, s.InputSize), w = Rand(rng, s.WeightSize), dy = Rand(rng, s.OutputSize);
            double yDy = Dot(R.Conv2dForward(x, w, null, s), dy);
            Close(yDy, Dot(x, R.Conv2dBackwardInput(dy, w, s)), 1e-12);
            Close(yDy, Dot(w, R.Conv2dBackwardWeight(x, dy, s)), 1e-12);
        }
    }

    [Fact]
    public void GemmMatchesHandComputationForAllTransposes()
    {
        // A = [[1,2],[3,4]], B = [[5,6],[7,8]]; A·B = [[19,22],[43,50]], Aᵀ·B = [[26,30],[38,44]], A·Bᵀ = [[17,23],[39,53]], Aᵀ·Bᵀ = [[23,31],[34,46]]
        double[] a = [1, 2, 3, 4], b = [5, 6, 7, 8], c = [1, 1, 1, 1];
        Close([19, 22, 43, 50], R.Gemm(false, false, 2, 2, 2, 1, a, b, 0, [double.NaN, double.NaN, double.NaN, double.NaN]));
        Close([26, 30, 38, 44], R.Gemm(true, false, 2, 2, 2, 1, a, b, 0, c));
        Close([17, 23, 39, 53], R.Gemm(false, true, 2, 2, 2, 1, a, b, 0, c));
        Close([23, 31, 34, 46], R.Gemm(true, true, 2, 2, 2, 1, a, b, 0, c));
        Close([38.5, 44.5, 86.5, 100.5], R.Gemm(false, false, 2, 2, 2, 2, a, b, 0.5, c));
        // non-square: [1×3]·[3×2]
        Close([1 * 1 + 2 * 3 + 3 * 5, 1 * 2 + 2 * 4 + 3 * 6], R.Gemm(false, false, 1, 2, 3, 1, [1, 2, 3], [1, 2, 3, 4, 5, 6], 0, [0, 0]));
    }

    [Fact]
    public void BatchNormTrainMatchesHandComputation()
    {
        // one channel, x = 1,2,3,4: μ = 2.5, biased σ² = 1.25, unbiased 5/3
        var r = R.BatchNormForwardTrain([1, 2, 3, 4], [2.0], [0.5], [0.0], [1.0], 1, 1, 4, 0.1, 1e-5);
        double istd = 1 / Math.Sqrt(1.25 + 1e-5);
        Close([2 * -1.5 * istd + 0.5, 2 * -0.5 * istd + 0.5, 2 * 0.5 * istd + 0.5, 2 * 1.5 * istd + 0.5], r.Y);
        Close([2.5], r.SaveMean);
        Close([istd], r.SaveInvStd);
        Close([0.25], r.RunningMean);
        Close([0.9 + 0.1 * 5.0 / 3.0], r.RunningVar);
    }

    [Fact]
    public void BatchNormBackwardMatchesFiniteDifferencesOfTheForward()
    {
        var rng = new Random(5);
        int n = 2, c = 3, hw = 4;
        double[] x = Rand(rng, n * c * hw), g = Rand(rng, c), b = Rand(rng, c), dy = Rand(rng, n * c * hw);
        double[] zeros = new double[c], ones = Enumerable.Repeat(1.0, c).ToArray();
        double L(double[] xx, double[] gg, double[] bb) => Dot(R.BatchNormForwardTrain(xx, gg, bb, zeros, ones, n, c, hw, 0.1, 1e-5).Y, dy);
        var fwd = R.BatchNormForwardTrain(x, g, b, zeros, ones, n, c, hw, 0.1, 1e-5);
        var bwd = R.BatchNormBackward(x, dy, g, fwd.SaveMean, fwd.SaveInvStd, n, c, hw);
        const double h = 1e-6;
        for (int i = 0; i < x.Length; i++)
        {
            double[] xp = (double[])x.Clone(), xm = (double[])x.Clone();
            xp[i] += h; xm[i] -= h;
            Close((L(xp, g, b) - L(xm, g, b)) / (2 * h), bwd.Dx[i], 1e-6);
        }
        for (int ch = 0; ch < c; ch++)
        {
            double[] gp = (double[])g.Clone(), gm = (double[])g.Clone(), bp = (double[])b.Clone(), bm = (double[])b.Clone();
            gp[ch] += h; gm[ch] -= h; bp[ch] += h; bm[ch] -= h;
            Close((L(x, gp, b) - L(x, gm, b)) / (2 * h), bwd.DGamma[ch], 1e-6);
            Close((L(x, g, bp) - L(x, g, bm)) / (2 * h), bwd.DBeta[ch], 1e-6);
        }
    }

    [Fact]
    public void MaxPoolPicksTheFirstMaximumAndPadsWithNegativeInfinity()
    {
        // 4×4 plane, k2 s2: window (0,0) has a tie 5,5 → first (row-major) wins
        double[] x = [5, 5, 1, 2,
                      0, 3, 4, 4,
                      -9, -8, 7, 1,
                      -7, -9, 1, 7];
        var (y, idx) = R.MaxPool2dForward(x, new Pool2dShape(1, 1, 4, 4, 2, 2, 0));
        Close([5, 4, -7, 7], y);
        Assert.Equal([0, 6, 12, 10], idx);
        // all-negative plane with padding: padding (−∞) never wins, so the max is a real element
        var (y2, idx2) = R.MaxPool2dForward([-3, -2, -5, -1], new Pool2dShape(1, 1, 2, 2, 2, 1, 1));
        Close([-3, -2, -2, -3, -1, -1, -5, -1, -1], y2);
        Assert.Equal([0, 1, 1, 0, 3, 3, 2, 3, 3], idx2);
        // overlapping windows send gradient to a shared argmax twice
        var dx = R.MaxPool2dBackward([1, 10, 100, 1000, 1, 10, 100, 1000, 1], idx2, new Pool2dShape(1, 1, 2, 2, 2, 1, 1));
        Close([1 + 1000, 10 + 100, 100, 1000 + 1 + 10 + 1], dx);
    }

    [Fact]
    public void AvgPoolCountsPaddingInTheDivisor()
    {
        var s = new Pool2dShape(1, 1, 2, 2, 2, 1, 1); // 3×3 output
        var y = R.AvgPool2dForward([1, 2, 3, 4], s);
        Close([0.25, 0.75, 0.5, 1.0, 2.5, 1.5, 0.75, 1.75, 1.0], y);
        // each input is covered by 4 windows: dx = Σ dy/4
        var dx = R.AvgPool2dBackward([1, 1, 1, 1, 1, 1, 1, 1, 1], s);
        Close([1, 1, 1, 1], dx);
    }

    [Fact]
    public void BroadcastAndSumToMatchHandComputation()
    {
        var (o, shape) = R.Binary(BinaryOp.Add, [1, 2, 3, 4, 5, 6], [2, 3], [10, 20, 30], [3]);
        Assert.Equal([2, 3], shape);
        Close([11, 22, 33, 14, 25, 36], o);
        var (o2, shape2) = R.Binary(BinaryOp.Sub, [1, 2], [2, 1], [10, 20, 30], [1, 3]);
        Assert.Equal([2, 3], shape2);
        Close([-9, -19, -29, -8, -18, -28], o2);
        Close([0.5, 1, 1.5], R.Binary(BinaryOp.Div, [1, 2, 3], [3], [2], [1]).Out);
        Close([5, 7, 9], R.SumTo([1, 2, 3, 4, 5, 6], [1, 1, 2, 3], [1, 1, 1, 3]));
        Close([6, 15], R.SumTo([1, 2, 3, 4, 5, 6], [1, 1, 2, 3], [1, 1, 2, 1]));
        Close([21], R.SumTo([1, 2, 3, 4, 5, 6], [1, 1, 2, 3], [1, 1, 1, 1]));
    }

    [Fact]
    public void CrossEntropyOfTwoClassesMatchesHandComputation()
    {
        // logits [1, 3], target 0: logsumexp = 3 + ln(1 + e^-2); loss = logsumexp − 1
        double lse = 3 + Math.Log(1 + Math.Exp(-2));
        var r = R.CrossEntropyForward([1, 3, 1, 3, 0, 0], [0, 1, -1], [2.0, 0.5], 3, 2);
        Close([2 * (lse - 1), 0.5 * (lse - 3), 0], r.Loss);
        Close([2, 0.5, 0], r.SampleWeight);
        Close([0.11920292202211755, 0.8807970779778823, 0.11920292202211755, 0.8807970779778823, 0.5, 0.5], r.Probs);
        var d = R.CrossEntropyBackward(r.Probs, [0, 1, -1], [2.0, 0.5], [1, 2, 5], 3, 2);
        Close([2 * (0.11920292202211755 - 1), 2 * 0.8807970779778823, 2 * 0.5 * 0.11920292202211755, 2 * 0.5 * (0.8807970779778823 - 1), 0, 0], d);
    }

    [Fact]
    public void BceWithLogitsMatchesHandComputation()
    {
        Close([Math.Log(2), Math.Log(2), 3 + Math.Log(1 + Math.Exp(-3)), Math.Log(1 + Math.Exp(-3))],
            R.BceWithLogitsForward([0, 0, 3, 3], [1, 0, 0, 1]));
        Close([-0.5, 0.5 * 2, 0], R.BceWithLogitsBackward([0, 0, 100], [1, 0, 1], [1, 2, 1]));
        Assert.False(double.IsInfinity(R.BceWithLogitsForward([-800], [1])[0]));
    }

    [Fact]
    public void ArgMaxTakesTheFirstMaximum()
    {
        Assert.Equal([1, 0, 2], R.ArgMax([0, 3, 3, 7, 7, 7, -1, -2, 0], 3, 3));
    }

    [Fact]
    public void OneAdamStepMatchesHandComputation()
    {
        // θ = 1, g = 0.5, m = v = 0, t = 1: m̂ = 0.5, v̂ = 0.25 → θ = 1 − 0.1·0.5/(0.5 + 1e-8)
        double bc1 = 1 - 0.9, bc2 = 1 - 0.999;
        var a = R.AdamStep([1.0], [0.5], [0.0], [0.0], 0.1, 0.9, 0.999, 1e-8, 0, bc1, bc2, decoupled: false);
        Close(1 - 0.1 * 0.5 / (0.5 + 1e-8), a.Param[0]);
        Close(0.05, a.M[0]);
        Close(0.00025, a.V[0], 1e-18);
        // Adam (L2): g = 0.5 + 0.1·1 = 0.6
        var l2 = R.AdamStep([1.0], [0.5], [0.0], [0.0], 0.1, 0.9, 0.999, 1e-8, 0.1, bc1, bc2, decoupled: false);
        Close(1 - 0.1 * 0.6 / (0.6 + 1e-8), l2.Param[0]);
        // AdamW: θ = 1·(1 − 0.1·0.1) = 0.99, then the plain step with g = 0.5
        var w = R.AdamStep([1.0], [0.5], [0.0], [0.0], 0.1, 0.9, 0.999, 1e-8, 0.1, bc1, bc2, decoupled: true);
        Close(0.99 - 0.1 * 0.5 / (0.5 + 1e-8), w.Param[0]);
        Close(0.05, w.M[0]);
    }

    [Fact]
    public void SgdStepsMatchHandComputation()
    {
        // plain: θ = 1 − 0.1·(0.5 + 0.01·1)
        Close(1 - 0.1 * 0.51, R.SgdStep([1.0], [0.5], null, 0.1, 0, 0, 0.01, false, true).Param[0]);
        // momentum, first step: b = g = 0.5, θ = 0.95; Nesterov: g + μ·b = 0.95, θ = 0.905
        var m1 = R.SgdStep([1.0], [0.5], [123.0], 0.1, 0.9, 0, 0, false, true);
        Close(0.95, m1.Param[0]);
        Close(0.5, m1.MomentumBuffer![0]);
        Close(0.905, R.SgdStep([1.0], [0.5], [123.0], 0.1, 0.9, 0, 0, true, true).Param[0]);
        // later step with dampening 0.1: b = 0.9·0.5 + 0.9·0.5 = 0.9, θ = 1 − 0.09
        var m2 = R.SgdStep([1.0], [0.5], [0.5], 0.1, 0.9, 0.1, 0, false, false);
        Close(0.9, m2.MomentumBuffer![0]);
        Close(0.91, m2.Param[0]);
    }

    [Fact]
    public void DropoutKeepsAboutOneMinusPAndScalesKeptValues()
    {
        var x = Enumerable.Repeat(2.0, 10000).ToArray();
        var (mask, y) = R.DropoutForward(x, 0.3, 42);
        int kept = mask.Count(v => v != 0);
        Assert.InRange(kept, 6700, 7300);
        Assert.All(mask, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.7) < 1e-15));
        for (int i = 0; i < x.Length; i++) Assert.Equal(2.0 * mask[i], y[i]);
    }

    private static double[] Rand(Random rng, long n) => Enumerable.Range(0, (int)n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
