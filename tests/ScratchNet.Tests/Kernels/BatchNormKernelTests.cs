using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>Batch norm train/eval forward (with the running-stat update) and backward against the reference.</summary>
[Collection(KernelCollection.Name)]
public class BatchNormKernelTests(KernelBackendFixture fx)
{
    /// <summary>(N, C, HW): batch 1, 1×1 spatial, 3 and 17 channels, odd pixel counts.</summary>
    public static TheoryData<string, DType, string> Shapes => KernelCases.Cross(
        "n4 c3 hw25", "n1 c17 hw9", "n8 c5 hw1", "n2 c16 hw64", "n3 c1 hw7", "n1 c3 hw1037");

    private static (int N, int C, int HW) Parse(string spec)
    {
        var m = KernelCases.ParseSpec(spec);
        return (m["n"][0], m["c"][0], m["hw"][0]);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void BatchNormForwardTrainMatchesReferenceAndUpdatesRunningStatsWithUnbiasedVariance(string backend, DType dtype, string spec)
    {
        var (n, c, hw) = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        // An offset mean and a non-unit scale so mean/variance errors are visible.
        var x = h.Rand((long)n * c * hw, 1.5, 4.0);
        var gamma = h.Rand(c, 0.5, 2);
        var beta = h.Rand(c);
        var rm0 = h.Rand(c);
        var rv0 = h.Rand(c, 0.5, 2);
        double momentum = 0.1, eps = 1e-5;
        var r = R.BatchNormForwardTrain(x, gamma, beta, rm0, rv0, n, c, hw, momentum, eps);

        var y = h.Out(x.Length);
        var mean = h.Out(c);
        var invstd = h.Out(c);
        var rm = h.Up(rm0);
        var rv = h.Up(rv0);
        h.Backend.BatchNormForwardTrain(h.Up(x), h.Up(gamma), h.Up(beta), y, mean, invstd, rm, rv, n, c, hw, momentum, eps);

        long m = (long)n * hw;
        // float32 statistics of values around 3 lose a few more digits than a plain sum
        var tol = dtype == DType.Float64 ? Tol.Reduction(dtype, m) : new Tol(1e-4 * (1 + Math.Sqrt(m) / 4), 2e-4);
        string what = $"BatchNormForwardTrain n={n} c={c} hw={hw}";
        h.AssertClose(what + " y", r.Y, y, tol, [n, c, hw]);
        h.AssertClose(what + " saveMean", r.SaveMean, mean, tol);
        h.AssertClose(what + " saveInvStd", r.SaveInvStd, invstd, tol);
        h.AssertClose(what + " runningMean", r.RunningMean, rm, tol);
        h.AssertClose(what + " runningVar (unbiased)", r.RunningVar, rv, tol);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void BatchNormForwardEvalUsesRunningStats(string backend, DType dtype, string spec)
    {
        var (n, c, hw) = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 1);
        var x = h.Rand((long)n * c * hw, -2, 2);
        var gamma = h.Rand(c, 0.5, 2);
        var beta = h.Rand(c);
        var rm = h.Rand(c);
        var rv = h.Rand(c, 0.1, 3);
        var y = h.Out(x.Length);
        h.Backend.BatchNormForwardEval(h.Up(x), h.Up(gamma), h.Up(beta), h.Up(rm), h.Up(rv), y, n, c, hw, 1e-5);
        h.AssertClose($"BatchNormForwardEval n={n} c={c} hw={hw}", R.BatchNormForwardEval(x, gamma, beta, rm, rv, n, c, hw, 1e-5),
            y, Tol.Elementwise(dtype), [n, c, hw]);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void BatchNormBackwardMatchesReferenceForDxDgammaDbeta(string backend, DType dtype, string spec)
    {
        var (n, c, hw) = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 2);
        var x = h.Rand((long)n * c * hw, -1, 3);
        var dy = h.Rand(x.Length);
        var gamma = h.Rand(c, 0.5, 2);
        // saved statistics as the forward would give them (rounded to the dtype, as the backend stores them)
        var fwd = R.BatchNormForwardTrain(x, gamma, new double[c], new double[c], new double[c], n, c, hw, 0.1, 1e-5);
        var mean = fwd.SaveMean.Select(h.Q).ToArray();
        var invstd = fwd.SaveInvStd.Select(h.Q).ToArray();
        var r = R.BatchNormBackward(x, dy, gamma, mean, invstd, n, c, hw);

        var dx = h.Out(x.Length);
        var dgamma = h.Out(c);
        var dbeta = h.Out(c);
        h.Backend.BatchNormBackward(h.Up(x), h.Up(dy), h.Up(gamma), h.Up(mean), h.Up(invstd), dx, dgamma, dbeta, n, c, hw);
        long m = (long)n * hw;
        var tol = dtype == DType.Float64 ? Tol.Reduction(dtype, m) : new Tol(1e-4 * (1 + Math.Sqrt(m) / 4), 2e-4);
        string what = $"BatchNormBackward n={n} c={c} hw={hw}";
        h.AssertClose(what + " dx", r.Dx, dx, tol, [n, c, hw]);
        h.AssertClose(what + " dgamma", r.DGamma, dgamma, tol);
        h.AssertClose(what + " dbeta", r.DBeta, dbeta, tol);
    }
}
