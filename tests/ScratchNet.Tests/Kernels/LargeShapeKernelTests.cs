using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// Shapes big enough to cross the CPU backend's thread split (~32K elements per task) and GEMM cache blocks
/// (KC = 256, MC = 168), with odd remainders, so the multi-threaded and multi-block paths are compared with the
/// reference too. Not run on the ILGPU CPU simulator (too slow; small shapes cover its kernels).
/// </summary>
[Collection(KernelCollection.Name)]
public class LargeShapeKernelTests(KernelBackendFixture fx)
{
    public static TheoryData<string, DType> Fast => KernelCases.FastBackendsAndDTypes;

    [Theory, MemberData(nameof(Fast))]
    public void ElementwiseOpsMatchReferenceAcrossThreadSplits(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 21);
        const int n = 300_007;
        var x = h.Rand(n, -5, 5);
        var dy = h.Rand(n);
        var bx = h.Up(x);
        var bdy = h.Up(dy);
        var y = h.Out(n);
        h.Backend.GeluForward(bx, y, n);
        h.AssertClose($"GeluForward n={n}", R.GeluForward(x), y, Tol.Series(dtype));
        var dx = h.Out(n);
        h.Backend.GeluBackward(bx, bdy, dx, n);
        h.AssertClose($"GeluBackward n={n}", R.GeluBackward(x, dy), dx, Tol.Series(dtype));
        var r = h.Out(n);
        h.Backend.ReluBackward(bx, bdy, r, n);
        h.AssertClose($"ReluBackward n={n}", R.ReluBackward(x, dy), r, Tol.Exact);
        var f = h.Out(n);
        h.Backend.Fill(f, n, 0.5);
        h.AssertClose($"Fill n={n}", Enumerable.Repeat(0.5, n).ToArray(), f, Tol.Exact);
        var (mask, yd) = R.DropoutForward(x, 0.5, 99);
        var bm = h.Out(n);
        var by = h.Out(n);
        h.Backend.DropoutForward(bx, bm, by, n, 0.5, 99);
        h.AssertClose($"DropoutForward mask n={n}", mask, bm, Tol.Elementwise(dtype));
        h.AssertClose($"DropoutForward y n={n}", yd, by, Tol.Elementwise(dtype));
        var bce = h.Out(n);
        var t = h.RandLevels(n, 2);
        h.Backend.BceWithLogitsForward(bx, h.Up(t), bce, n);
        h.AssertClose($"BceWithLogitsForward n={n}", R.BceWithLogitsForward(x, t), bce, Tol.Elementwise(dtype));
    }

    [Theory, MemberData(nameof(Fast))]
    public void MaxPoolMatchesReferenceOnWideRows(string backend, DType dtype)
    {
        // The seed model's 2×2 pools see rows of 32–112 outputs: wide enough for the CPU backend's vectorised
        // path (16 outputs per step, masked tails), which the small shapes elsewhere never reach. Odd widths
        // leave a dropped last column and partial vectors; ties (values on a coarse grid) test first-max-wins.
        using var h = fx.Harness(backend, dtype, 24);
        // Rows narrower than 16 outputs (Fashion-MNIST's 28 → 14 → 7 maps, an odd 15) take the one-masked-vector path.
        foreach (var (n, c, hh, ww, k, st) in new[] { (2, 3, 64, 64, 2, 2), (1, 2, 37, 75, 2, 2), (2, 2, 33, 50, 3, 2), (2, 3, 28, 28, 2, 2), (2, 2, 14, 15, 2, 2), (1, 2, 3, 31, 2, 2) })
        {
            var s = new Pool2dShape(n, c, hh, ww, k, st, 0);
            var x = h.RandLevels(s.InputSize, 7);
            var (yRef, idxRef) = R.MaxPool2dForward(x, s);
            var y = h.Out(s.OutputSize);
            var idx = h.OutInt(s.OutputSize);
            h.Backend.MaxPool2dForward(h.Up(x), y, idx, s);
            h.AssertClose($"MaxPool2dForward {s} y", yRef, y, Tol.Exact);
            h.AssertEqualInts($"MaxPool2dForward {s} indices", idxRef, idx);
            var dy = h.Rand(s.OutputSize);
            var dx = h.Out(s.InputSize);
            h.Backend.MaxPool2dBackward(h.Up(dy), h.UpInt(idxRef), dx, s);
            h.AssertClose($"MaxPool2dBackward {s}", R.MaxPool2dBackward(dy, idxRef, s), dx, Tol.Elementwise(dtype));
        }
    }

    [Theory, MemberData(nameof(Fast))]
    public void GemmMatchesReferenceAcrossCacheBlocks(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 22);
        foreach (var (m, n, k, ta, tb, beta) in new[]
                 {
                     (200, 70, 300, false, false, 0.0), (337, 33, 513, false, true, 1.0), (15, 515, 257, true, false, 0.5),
                     (169, 2049 / 8, 259, true, true, 0.0), (64, 4096 / 16, 288, false, false, 0.0),
                 })
        {
            var a = h.Rand((long)m * k);
            var b = h.Rand((long)k * n);
            var c0 = beta == 0 ? Enumerable.Repeat(double.NaN, m * n).ToArray() : h.Rand((long)m * n);
            var bc = h.Up(c0);
            h.Backend.Gemm(ta, tb, m, n, k, 0.75, h.Up(a), h.Up(b), beta, bc);
            h.AssertClose($"Gemm transA={ta} transB={tb} M={m} N={n} K={k} beta={beta}", R.Gemm(ta, tb, m, n, k, 0.75, a, b, beta, c0), bc,
                Tol.Reduction(dtype, k), [m, n]);
        }
    }

    [Theory, MemberData(nameof(Fast))]
    public void ConvBatchNormAndPoolingMatchReferenceOnLargerImages(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 23);
        // The last two have K = C·9 = 360 and 576: two and three K blocks of the CPU GEMM, whose weights the forward
        // packs once per call for every image's GEMM (7×7 and 9×11 maps, OutC not a multiple of the 14-row tile).
        foreach (var s in new[]
                 {
                     new Conv2dShape(3, 8, 33, 31, 9, 3, 3, 1, 1), new Conv2dShape(2, 5, 29, 35, 6, 5, 5, 2, 2),
                     new Conv2dShape(3, 40, 9, 11, 20, 3, 3, 1, 1), new Conv2dShape(4, 64, 7, 7, 30, 3, 3, 1, 1),
                 })
        {
            var x = h.Rand(s.InputSize);
            var w = h.Rand(s.WeightSize);
            var bias = h.Rand(s.OutC);
            var dy = h.Rand(s.OutputSize);
            var y = h.Out(s.OutputSize);
            h.Backend.Conv2dForward(h.Up(x), h.Up(w), h.Up(bias), y, s);
            h.AssertClose($"Conv2dForward {s}", R.Conv2dForward(x, w, bias, s), y, Tol.Reduction(dtype, (long)s.C * s.KH * s.KW), [s.N, s.OutC, s.OH, s.OW]);
            var dx = h.Out(s.InputSize);
            h.Backend.Conv2dBackwardInput(h.Up(dy), h.Up(w), dx, s);
            h.AssertClose($"Conv2dBackwardInput {s}", R.Conv2dBackwardInput(dy, w, s), dx, Tol.Reduction(dtype, (long)s.OutC * s.KH * s.KW), [s.N, s.C, s.H, s.W]);
            var dw = h.Out(s.WeightSize);
            h.Backend.Conv2dBackwardWeight(h.Up(x), h.Up(dy), dw, s);
            h.AssertClose($"Conv2dBackwardWeight {s}", R.Conv2dBackwardWeight(x, dy, s), dw, Tol.Reduction(dtype, (long)s.N * s.OH * s.OW), [s.OutC, s.C, s.KH, s.KW]);
        }

        int n = 4, c = 9, hw = 33 * 33;
        var bx = h.Rand((long)n * c * hw, -1, 3);
        var gamma = h.Rand(c, 0.5, 2);
        var beta = h.Rand(c);
        var rm = h.Rand(c);
        var rv = h.Rand(c, 0.5, 2);
        var r = R.BatchNormForwardTrain(bx, gamma, beta, rm, rv, n, c, hw, 0.1, 1e-5);
        var by = h.Out(bx.Length);
        var mean = h.Out(c);
        var invstd = h.Out(c);
        var brm = h.Up(rm);
        var brv = h.Up(rv);
        h.Backend.BatchNormForwardTrain(h.Up(bx), h.Up(gamma), h.Up(beta), by, mean, invstd, brm, brv, n, c, hw, 0.1, 1e-5);
        var tol = dtype == DType.Float64 ? Tol.Reduction(dtype, (long)n * hw) : new Tol(2e-3, 5e-4);
        h.AssertClose("BatchNormForwardTrain n=4 c=9 hw=1089 y", r.Y, by, tol, [n, c, hw]);
        h.AssertClose("BatchNormForwardTrain n=4 c=9 hw=1089 runningVar", r.RunningVar, brv, tol);
        var bdy = h.Rand(bx.Length);
        var b = R.BatchNormBackward(bx, bdy, gamma, r.SaveMean.Select(h.Q).ToArray(), r.SaveInvStd.Select(h.Q).ToArray(), n, c, hw);
        var bdx = h.Out(bx.Length);
        var dg = h.Out(c);
        var db = h.Out(c);
        h.Backend.BatchNormBackward(h.Up(bx), h.Up(bdy), h.Up(gamma), h.Up(r.SaveMean.Select(h.Q).ToArray()), h.Up(r.SaveInvStd.Select(h.Q).ToArray()), bdx, dg, db, n, c, hw);
        h.AssertClose("BatchNormBackward n=4 c=9 hw=1089 dx", b.Dx, bdx, tol, [n, c, hw]);
        h.AssertClose("BatchNormBackward n=4 c=9 hw=1089 dgamma", b.DGamma, dg, tol);

        var ps = new Pool2dShape(4, 16, 41, 37, 3, 2, 1);
        var px = h.Rand(ps.InputSize);
        var (pyRef, pidxRef) = R.MaxPool2dForward(px, ps);
        var py = h.Out(ps.OutputSize);
        var pidx = h.OutInt(ps.OutputSize);
        h.Backend.MaxPool2dForward(h.Up(px), py, pidx, ps);
        h.AssertClose($"MaxPool2dForward {ps}", pyRef, py, Tol.Exact, [ps.N, ps.C, ps.OH, ps.OW]);
        h.AssertEqualInts($"MaxPool2dForward {ps} indices", pidxRef, pidx);
        var pdy = h.Rand(ps.OutputSize);
        var pdx = h.Out(ps.InputSize);
        h.Backend.MaxPool2dBackward(h.Up(pdy), h.UpInt(pidxRef), pdx, ps);
        h.AssertClose($"MaxPool2dBackward {ps}", R.MaxPool2dBackward(pdy, pidxRef, ps), pdx, Tol.Reduction(dtype, 9), [ps.N, ps.C, ps.H, ps.W]);

        int[] xd = [8, 16, 17, 19], yd = [1, 16, 1, 1];
        var sx = h.Rand(8 * 16 * 17 * 19);
        var sy = h.Out(16);
        h.Backend.SumTo(h.Up(sx), xd, sy, yd);
        h.AssertClose("SumTo [8,16,17,19] → [1,16,1,1]", R.SumTo(sx, xd, yd), sy, Tol.Reduction(dtype, 8 * 17 * 19));
    }
}
