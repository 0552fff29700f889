using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>Adam/AdamW and SGD steps, in place on the parameter and state buffers.</summary>
[Collection(KernelCollection.Name)]
public class OptimizerKernelTests(KernelBackendFixture fx)
{
    /// <summary>"adam"/"adamw" × weight decay × step number.</summary>
    public static TheoryData<string, DType, string> AdamCases => KernelCases.Cross(
        "adam wd0 t1", "adam wd0.1 t1", "adam wd0.01 t7", "adamw wd0.1 t1", "adamw wd0.05 t12", "adamw wd0 t3");

    [Theory, MemberData(nameof(AdamCases))]
    public void AdamStepUpdatesParamAndMomentsLikePyTorch(string backend, DType dtype, string spec)
    {
        bool decoupled = spec.StartsWith("adamw", StringComparison.Ordinal);
        double wd = double.Parse(spec.Split(' ')[1][2..], System.Globalization.CultureInfo.InvariantCulture);
        int t = int.Parse(spec.Split(' ')[2][1..], System.Globalization.CultureInfo.InvariantCulture);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double bc1 = 1 - Math.Pow(b1, t), bc2 = 1 - Math.Pow(b2, t);
        foreach (int n in new[] { 1, 7, 1037 })
        {
            var p = h.Rand(n, -2, 2);
            var g = h.Rand(n);
            // first step: zero moments; later steps: moments of a plausible history (v ≥ 0)
            var m0 = t == 1 ? new double[n] : h.Rand(n, -0.1, 0.1);
            var v0 = t == 1 ? new double[n] : h.Rand(n, 0, 0.01);
            var r = R.AdamStep(p, g, m0, v0, lr, b1, b2, eps, wd, bc1, bc2, decoupled);
            var bp = h.Up(p);
            var bm = h.Up(m0);
            var bv = h.Up(v0);
            h.Backend.AdamStep(bp, h.Up(g), bm, bv, n, lr, b1, b2, eps, wd, bc1, bc2, decoupled);
            string what = $"AdamStep {spec} n={n}";
            h.AssertClose(what + " param", r.Param, bp, Tol.Elementwise(dtype));
            h.AssertClose(what + " m", r.M, bm, Tol.Elementwise(dtype));
            h.AssertClose(what + " v", r.V, bv, Tol.Elementwise(dtype));
            // the update itself (θ' − θ), so a small error in a small step is not hidden by |θ|
            var step = h.Down(bp, n).Select((v, i) => v - p[i]).ToArray();
            h.AssertArrayClose(what + " update θ'−θ", r.Param.Select((v, i) => v - p[i]).ToArray(), step,
                dtype == DType.Float64 ? new Tol(1e-12, 1e-8) : new Tol(2e-6, 1e-3));
        }
    }

    /// <summary>
    /// Adam's first step is lr·g/(|g| + ε/…) ≤ lr exactly: m/bc1 = g and v/bc2 = g². A backend that takes 1 − β2 in
    /// float32 from the rounded β2 (1 − 0.999f = 9.99987e-4, while bc2 rounds to 1e-3) stepped lr·(1 + 6.5e-6).
    /// </summary>
    [Theory, MemberData(nameof(KernelCases.BackendsOnly), MemberType = typeof(KernelCases))]
    public void AdamsFirstStepIsNeverLargerThanTheLearningRate(string backend)
    {
        using var h = fx.Harness(backend, DType.Float32, 31);
        const int n = 257;
        double lr = 1e-3, b1 = 0.9, b2 = 0.999;
        var p = new double[n];
        var g = h.Rand(n).Select(v => v >= 0 ? v + 0.5 : v - 0.5).ToArray(); // |g| ≥ 0.5: ε is negligible
        var bp = h.Up(p);
        h.Backend.AdamStep(bp, h.Up(g), h.Up(new double[n]), h.Up(new double[n]), n, lr, b1, b2, 0, 0, 1 - b1, 1 - b2, false);
        var step = h.Down(bp, n);
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(step[i]) <= lr * (1 + 1e-6), $"{backend}: first step {Math.Abs(step[i]):R} > lr {lr} at {i}");
    }

    /// <summary>Momentum, dampening, Nesterov, weight decay and the first step (buffer = g).</summary>
    public static TheoryData<string, DType, string> SgdCases => KernelCases.Cross(
        "mu0 d0 wd0 plain first",
        "mu0 d0 wd0.01 plain later",
        "mu0.9 d0 wd0 plain first",
        "mu0.9 d0 wd0 plain later",
        "mu0.9 d0 wd0.001 nesterov first",
        "mu0.9 d0 wd0.001 nesterov later",
        "mu0.5 d0.1 wd0.01 plain later",
        "mu0.8 d0.5 wd0 plain first");

    [Theory, MemberData(nameof(SgdCases))]
    public void SgdStepUpdatesParamAndMomentumBufferLikePyTorch(string backend, DType dtype, string spec)
    {
        var parts = spec.Split(' ');
        double Num(string s, int skip) => double.Parse(s[skip..], System.Globalization.CultureInfo.InvariantCulture);
        double mu = Num(parts[0], 2), damp = Num(parts[1], 1), wd = Num(parts[2], 2);
        bool nesterov = parts[3] == "nesterov", first = parts[4] == "first";
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        double lr = 0.1;
        foreach (int n in new[] { 1, 7, 1037 })
        {
            var p = h.Rand(n, -2, 2);
            var g = h.Rand(n);
            // on the first step the old buffer is garbage and must not be read
            double[]? b0 = mu == 0 ? null : first ? Enumerable.Repeat(double.NaN, n).ToArray() : h.Rand(n);
            var r = R.SgdStep(p, g, b0, lr, mu, damp, wd, nesterov, first);
            var bp = h.Up(p);
            var bb = b0 is null ? null : h.Up(b0);
            h.Backend.SgdStep(bp, h.Up(g), bb, n, lr, mu, damp, wd, nesterov, first);
            string what = $"SgdStep {spec} n={n}";
            h.AssertClose(what + " param", r.Param, bp, Tol.Elementwise(dtype));
            if (bb is not null) h.AssertClose(what + " momentum buffer", r.MomentumBuffer!, bb, Tol.Elementwise(dtype));
        }
    }
}
