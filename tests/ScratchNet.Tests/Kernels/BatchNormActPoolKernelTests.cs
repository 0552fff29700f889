using ScratchNet.Kernels;
using ScratchNet.Kernels.Ilgpu;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The fused BatchNorm2d → ReLU/GELU → MaxPool2d block (train forward with argmax and running stats, eval forward,
/// backward) against the unfused float64 reference chain, and against the backend's own three separate ops.
/// </summary>
[Collection(KernelCollection.Name)]
public class BatchNormActPoolKernelTests(KernelBackendFixture fx)
{
    /// <summary>
    /// Pool 1, 2 and 3 with both activations: odd sizes floor mode cuts (7×9 / 2 drops a row and a column, 8×9 / 3
    /// drops two rows, 7×50 / 3 drops a row and two columns), batch 1, 1 and 17 channels, a 2×2 plane (one window),
    /// rows of 20, 15 and 16 outputs (the CPU's vector paths) and a 37-wide unpooled row.
    /// </summary>
    private static readonly string[] Geometries =
    [
        "n2 c3 h7 w9 p2",
        "n1 c1 h6 w6 p3",
        "n2 c17 h5 w5 p1",
        "n1 c2 h2 w2 p2",
        "n2 c2 h4 w40 p2",
        "n1 c3 h5 w30 p2",
        "n3 c2 h8 w9 p3",
        "n1 c2 h7 w50 p3",
        "n2 c3 h3 w37 p1",
    ];

    public static TheoryData<string, DType, string> Shapes =>
        KernelCases.Cross(Geometries.SelectMany(g => new[] { g + " relu", g + " gelu" }).ToArray());

    private static IEnumerable<string> Pooled => Geometries.Where(g => !g.EndsWith(" p1", StringComparison.Ordinal));

    /// <summary>Pooled geometries only (the tie rules need windows of more than one element).</summary>
    public static TheoryData<string, DType, string> PooledShapes =>
        KernelCases.Cross(Pooled.SelectMany(g => new[] { g + " relu", g + " gelu" }).ToArray());

    /// <summary>Pooled geometries with ReLU.</summary>
    public static TheoryData<string, DType, string> PooledReluShapes => KernelCases.Cross(Pooled.Select(g => g + " relu").ToArray());

    /// <summary><c>n2 c3 h7 w9 p2 gelu</c> → a <see cref="BatchNormActPoolShape"/>; the word names the activation.</summary>
    private static BatchNormActPoolShape Parse(string spec)
    {
        var words = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var act = words.Single(w => w.All(char.IsLetter)) switch
        {
            "relu" => Activation.Relu,
            "gelu" => Activation.Gelu,
            var other => throw new ArgumentException($"unknown activation '{other}'"),
        };
        var m = KernelCases.ParseSpec(string.Join(' ', words.Where(w => !w.All(char.IsLetter))));
        return new BatchNormActPoolShape(m["n"][0], m["c"][0], m["h"][0], m["w"][0], m["p"][0], act);
    }

    /// <summary>Batch-norm tolerance (as BatchNormKernelTests): float32 statistics of offset data lose a few digits.</summary>
    private static Tol BnTol(DType dtype, BatchNormActPoolShape s)
    {
        long m = (long)s.N * s.H * s.W;
        return dtype == DType.Float64 ? Tol.Reduction(dtype, m) : new Tol(1e-4 * (1 + Math.Sqrt(m) / 4), 2e-4);
    }

    /// <summary>Fused vs the same backend's separate ops: the same math, at most a different operation order.</summary>
    private static Tol Tight(DType dtype) => dtype == DType.Float64 ? new Tol(1e-13, 1e-12) : new Tol(2e-6, 2e-6);

    private static int[] OutDims(BatchNormActPoolShape s) => [s.N, s.C, s.OH, s.OW];
    private static int[] InDims(BatchNormActPoolShape s) => [s.N, s.C, s.H, s.W];

    /// <summary>Runs the fused train forward; Pool = 1 passes no indices buffer (the contract allows null there).</summary>
    private static (DeviceBuffer Y, DeviceBuffer? Idx, DeviceBuffer Mean, DeviceBuffer InvStd, DeviceBuffer Rm, DeviceBuffer Rv) RunTrain(
        KernelHarness h, BatchNormActPoolShape s, double[] x, double[] gamma, double[] beta, double[] rm0, double[] rv0,
        double momentum = 0.1, double eps = 1e-5)
    {
        var y = h.Out(s.OutputSize);
        var idx = s.Pool > 1 ? h.OutInt(s.OutputSize) : null;
        var mean = h.Out(s.C);
        var invstd = h.Out(s.C);
        var rm = h.Up(rm0);
        var rv = h.Up(rv0);
        h.Backend.BatchNormActPoolForwardTrain(h.Up(x), h.Up(gamma), h.Up(beta), y, idx, mean, invstd, rm, rv, s, momentum, eps);
        return (y, idx, mean, invstd, rm, rv);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void ForwardTrainMatchesUnfusedReferenceForValuesArgmaxAndStatistics(string backend, DType dtype, string spec)
    {
        var s = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        // An offset mean and a non-unit scale so statistics errors show; β in [−1, 1) puts z on both sides of 0.
        var x = h.Rand(s.InputSize, 1.5, 4.0);
        var gamma = h.Rand(s.C, 0.5, 2);
        var beta = h.Rand(s.C);
        var rm0 = h.Rand(s.C);
        var rv0 = h.Rand(s.C, 0.5, 2);
        var r = R.BatchNormActPoolForwardTrain(x, gamma, beta, rm0, rv0, s, 0.1, 1e-5);

        var (y, idx, mean, invstd, rm, rv) = RunTrain(h, s, x, gamma, beta, rm0, rv0);
        var tol = BnTol(dtype, s);
        string what = $"BatchNormActPoolForwardTrain {s}";
        h.AssertClose(what + " y", r.Y, y, tol, OutDims(s));
        if (idx is not null) h.AssertEqualInts(what + " indices (h·W + w)", r.Indices, idx, OutDims(s));
        h.AssertClose(what + " saveMean", r.SaveMean, mean, tol);
        h.AssertClose(what + " saveInvStd", r.SaveInvStd, invstd, tol);
        h.AssertClose(what + " runningMean", r.RunningMean, rm, tol);
        h.AssertClose(what + " runningVar (unbiased)", r.RunningVar, rv, tol);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void ForwardEvalUsesRunningStatsAndMatchesUnfusedReference(string backend, DType dtype, string spec)
    {
        var s = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 1);
        var x = h.Rand(s.InputSize, -2, 2);
        var gamma = h.Rand(s.C, 0.5, 2);
        var beta = h.Rand(s.C);
        var rm = h.Rand(s.C);
        var rv = h.Rand(s.C, 0.1, 3);
        var y = h.Out(s.OutputSize);
        h.Backend.BatchNormActPoolForwardEval(h.Up(x), h.Up(gamma), h.Up(beta), h.Up(rm), h.Up(rv), y, s, 1e-5);
        h.AssertClose($"BatchNormActPoolForwardEval {s}", R.BatchNormActPoolForwardEval(x, gamma, beta, rm, rv, s, 1e-5),
            y, Tol.Series(dtype), OutDims(s));
    }

    [Theory, MemberData(nameof(Shapes))]
    public void BackwardMatchesUnfusedReferenceForDxDgammaDbeta(string backend, DType dtype, string spec)
    {
        var s = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 2);
        var x = h.Rand(s.InputSize, -1, 3);
        var dy = h.Rand(s.OutputSize);
        var gamma = h.Rand(s.C, 0.5, 2);
        var beta = h.Rand(s.C);
        // saved statistics and argmax as the forward gives them (statistics rounded to the dtype, as stored)
        var fwd = R.BatchNormActPoolForwardTrain(x, gamma, beta, new double[s.C], new double[s.C], s, 0.1, 1e-5);
        var mean = fwd.SaveMean.Select(h.Q).ToArray();
        var invstd = fwd.SaveInvStd.Select(h.Q).ToArray();
        var indices = s.Pool > 1 ? fwd.Indices : null;
        var r = R.BatchNormActPoolBackward(x, dy, indices, gamma, beta, mean, invstd, s);

        var dx = h.Out(s.InputSize);
        var dgamma = h.Out(s.C);
        var dbeta = h.Out(s.C);
        h.Backend.BatchNormActPoolBackward(h.Up(x), h.Up(dy), indices is null ? null : h.UpInt(indices), h.Up(gamma), h.Up(beta),
            h.Up(mean), h.Up(invstd), dx, dgamma, dbeta, s);
        var tol = BnTol(dtype, s);
        string what = $"BatchNormActPoolBackward {s}";
        h.AssertClose(what + " dx (every element, dropped rows/columns too)", r.Dx, dx, tol, InDims(s));
        h.AssertClose(what + " dgamma", r.DGamma, dgamma, tol);
        h.AssertClose(what + " dbeta", r.DBeta, dbeta, tol);
    }

    [Theory, MemberData(nameof(PooledShapes))]
    public void ForwardTrainBreaksTiesByTheFirstMaximumInRowMajorOrder(string backend, DType dtype, string spec)
    {
        var s = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 3);
        // Three levels: equal x give bit-equal z and g in any precision, so almost every window has exact ties.
        // Negative γ in some channels reverses the order (the max of g then sits on the lowest x). β ≥ 4 keeps every
        // z > 0 (|x̂| ≤ √(m − 1) = √3 for the smallest channel here, |γ| ≤ 2), where GELU is increasing: for negative
        // z two different levels can give GELU values a float32 rounding apart (it is not monotonic there), and
        // which one wins would then be decided by rounding, not by the tie rule under test.
        var x = h.RandLevels(s.InputSize, 3);
        var gamma = h.Rand(s.C, 0.5, 2).Select((g, c) => c % 2 == 1 ? -g : g).ToArray();
        var beta = h.Rand(s.C, 4, 5);
        var rm0 = new double[s.C];
        var rv0 = Enumerable.Repeat(1.0, s.C).ToArray();
        var r = R.BatchNormActPoolForwardTrain(x, gamma, beta, rm0, rv0, s, 0.1, 1e-5);

        var (y, idx, _, _, _, _) = RunTrain(h, s, x, gamma, beta, rm0, rv0);
        h.AssertClose($"BatchNormActPoolForwardTrain {s} y (ties)", r.Y, y, BnTol(dtype, s), OutDims(s));
        h.AssertEqualInts($"BatchNormActPoolForwardTrain {s} indices (ties: first max wins)", r.Indices, idx!, OutDims(s));
    }

    [Theory, MemberData(nameof(PooledReluShapes))]
    public void ReluTiesAtZeroPickTheFirstElementNotTheLargestZ(string backend, DType dtype, string spec)
    {
        var s = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 4);
        // β < 0: most z are negative, so whole windows activate to exactly 0. The max is then taken over g = 0 ties
        // (first element wins), not over z (whose largest negative value would sit anywhere in the window).
        // Even channels: β ≤ −3 with γ ≤ 1.5 and uniform x (|x̂| ≲ √3), so every z < 0; odd channels: β in
        // [−1.5, −0.5], so some windows still pass a gradient to the backward check.
        var x = h.Rand(s.InputSize, -1, 1);
        var gamma = h.Rand(s.C, 0.5, 1.5);
        var beta = h.Rand(s.C).Select((_, c) => c % 2 == 0 ? h.Q(-3 - h.Rng.NextDouble()) : h.Q(-1.5 + h.Rng.NextDouble())).ToArray();
        var rm0 = new double[s.C];
        var rv0 = Enumerable.Repeat(1.0, s.C).ToArray();
        var r = R.BatchNormActPoolForwardTrain(x, gamma, beta, rm0, rv0, s, 0.1, 1e-5);
        Assert.True(CountZeroWindowsWhereZArgmaxIsNotFirst(x, r, gamma, beta, s) > 0,
            $"{s}: test data has no all-negative window whose largest z is not its first element");

        var (y, idx, mean, invstd, _, _) = RunTrain(h, s, x, gamma, beta, rm0, rv0);
        string what = $"BatchNormActPoolForwardTrain {s} (mostly negative z)";
        h.AssertClose(what + " y", r.Y, y, BnTol(dtype, s), OutDims(s));
        h.AssertEqualInts(what + " indices (first max of relu(z), not of z)", r.Indices, idx!, OutDims(s));

        // Backward through those windows: relu′ = 0 at their (negative) argmax, so only batch-norm terms reach dx.
        var dy = h.Rand(s.OutputSize);
        var meanQ = r.SaveMean.Select(h.Q).ToArray();
        var invQ = r.SaveInvStd.Select(h.Q).ToArray();
        var rb = R.BatchNormActPoolBackward(x, dy, r.Indices, gamma, beta, meanQ, invQ, s);
        var dx = h.Out(s.InputSize);
        var dgamma = h.Out(s.C);
        var dbeta = h.Out(s.C);
        h.Backend.BatchNormActPoolBackward(h.Up(x), h.Up(dy), h.UpInt(r.Indices), h.Up(gamma), h.Up(beta), h.Up(meanQ), h.Up(invQ),
            dx, dgamma, dbeta, s);
        var tol = BnTol(dtype, s);
        h.AssertClose($"BatchNormActPoolBackward {s} (mostly negative z) dx", rb.Dx, dx, tol, InDims(s));
        h.AssertClose($"BatchNormActPoolBackward {s} (mostly negative z) dgamma", rb.DGamma, dgamma, tol);
        h.AssertClose($"BatchNormActPoolBackward {s} (mostly negative z) dbeta", rb.DBeta, dbeta, tol);
    }

    /// <summary>Windows where every z &lt; 0 (so g is all 0) and the largest z is not the window's first element.</summary>
    private static int CountZeroWindowsWhereZArgmaxIsNotFirst(double[] x, R.BatchNormActPoolTrainResult r, double[] gamma, double[] beta,
        BatchNormActPoolShape s)
    {
        int count = 0;
        for (int plane = 0; plane < s.N * s.C; plane++)
        {
            int ch = plane % s.C;
            for (int i = 0; i < s.OH; i++)
                for (int j = 0; j < s.OW; j++)
                {
                    double bestZ = double.NegativeInfinity;
                    int argZ = -1;
                    bool allNegative = true;
                    for (int p = 0; p < s.Pool; p++)
                        for (int q = 0; q < s.Pool; q++)
                        {
                            int hh = i * s.Pool + p, ww = j * s.Pool + q;
                            double z = gamma[ch] * (x[(plane * s.H + hh) * s.W + ww] - r.SaveMean[ch]) * r.SaveInvStd[ch] + beta[ch];
                            allNegative &= z < 0;
                            if (argZ < 0 || z > bestZ) { bestZ = z; argZ = hh * s.W + ww; }
                        }
                    if (allNegative && argZ != i * s.Pool * s.W + j * s.Pool) count++;
                }
        }
        return count;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void FusedTrainForwardEqualsTheBackendsSeparateBatchNormActivationAndMaxPool(string backend, DType dtype, string spec)
    {
        var s = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 5);
        var x = h.Rand(s.InputSize, 1.5, 4.0);
        var gamma = h.Rand(s.C, 0.5, 2);
        var beta = h.Rand(s.C);
        var rm0 = h.Rand(s.C);
        var rv0 = h.Rand(s.C, 0.5, 2);
        var (y, idx, mean, invstd, rm, rv) = RunTrain(h, s, x, gamma, beta, rm0, rv0);

        // The same block as three separate ops of the same backend (Pool = 1 pools 1×1 windows: y = g).
        var be = h.Backend;
        int hw = s.H * s.W;
        var xb = h.Up(x);
        var z = h.Out(s.InputSize);
        var g = h.Out(s.InputSize);
        var mean2 = h.Out(s.C);
        var invstd2 = h.Out(s.C);
        var rm2 = h.Up(rm0);
        var rv2 = h.Up(rv0);
        var y2 = h.Out(s.OutputSize);
        var idx2 = h.OutInt(s.OutputSize);
        be.BatchNormForwardTrain(xb, h.Up(gamma), h.Up(beta), z, mean2, invstd2, rm2, rv2, s.N, s.C, hw, 0.1, 1e-5);
        if (s.Act == Activation.Gelu) be.GeluForward(z, g, s.InputSize);
        else be.ReluForward(z, g, s.InputSize);
        be.MaxPool2dForward(g, y2, idx2, s.PoolShape);

        var tight = Tight(dtype);
        string what = $"fused vs separate BatchNormForwardTrain → {s.Act}Forward → MaxPool2dForward, {s}";
        h.AssertClose(what + " y", h.Down(y2, s.OutputSize), y, tight, OutDims(s));
        if (idx is not null) h.AssertEqualInts(what + " indices", h.DownInt(idx2, s.OutputSize), idx, OutDims(s));
        h.AssertClose(what + " saveMean", h.Down(mean2, s.C), mean, tight);
        h.AssertClose(what + " saveInvStd", h.Down(invstd2, s.C), invstd, tight);
        h.AssertClose(what + " runningMean", h.Down(rm2, s.C), rm, tight);
        h.AssertClose(what + " runningVar", h.Down(rv2, s.C), rv, tight);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void FusedBackwardEqualsTheBackendsSeparateMaxPoolActivationAndBatchNormBackward(string backend, DType dtype, string spec)
    {
        var s = Parse(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 6);
        var x = h.Rand(s.InputSize, -1, 3);
        var dy = h.Rand(s.OutputSize);
        var gamma = h.Rand(s.C, 0.5, 2);
        var beta = h.Rand(s.C);
        var be = h.Backend;
        int hw = s.H * s.W;
        var (_, idx, mean, invstd, _, _) = RunTrain(h, s, x, gamma, beta, new double[s.C], Enumerable.Repeat(1.0, s.C).ToArray());
        var xb = h.Up(x);
        var gb = h.Up(gamma);
        var dyb = h.Up(dy);
        var dx = h.Out(s.InputSize);
        var dgamma = h.Out(s.C);
        var dbeta = h.Out(s.C);
        be.BatchNormActPoolBackward(xb, dyb, idx, gb, h.Up(beta), mean, invstd, dx, dgamma, dbeta, s);

        // Separately: z from batch norm's own forward (same saved statistics), dg = MaxPool2dBackward (Pool = 1: dy),
        // dz = act backward at z, then BatchNormBackward.
        var z = h.Out(s.InputSize);
        be.BatchNormForwardTrain(xb, gb, h.Up(beta), z, h.Out(s.C), h.Out(s.C), h.Up(new double[s.C]), h.Up(Enumerable.Repeat(1.0, s.C).ToArray()),
            s.N, s.C, hw, 0.1, 1e-5);
        var dg = dyb;
        if (s.Pool > 1)
        {
            dg = h.Out(s.InputSize);
            be.MaxPool2dBackward(dyb, idx!, dg, s.PoolShape);
        }
        var dz = h.Out(s.InputSize);
        if (s.Act == Activation.Gelu) be.GeluBackward(z, dg, dz, s.InputSize);
        else be.ReluBackward(z, dg, dz, s.InputSize);
        var dx2 = h.Out(s.InputSize);
        var dgamma2 = h.Out(s.C);
        var dbeta2 = h.Out(s.C);
        be.BatchNormBackward(xb, dz, gb, mean, invstd, dx2, dgamma2, dbeta2, s.N, s.C, hw);

        // The sums run in a different order (the fused reduction skips the zeros of dz), so a reduction tolerance.
        var tol = BnTol(dtype, s);
        string what = $"fused vs separate MaxPool2dBackward → {s.Act}Backward → BatchNormBackward, {s}";
        h.AssertClose(what + " dx", h.Down(dx2, s.InputSize), dx, tol, InDims(s));
        h.AssertClose(what + " dgamma", h.Down(dgamma2, s.C), dgamma, tol);
        h.AssertClose(what + " dbeta", h.Down(dbeta2, s.C), dbeta, tol);
    }

    [Theory, MemberData(nameof(KernelCases.BackendsOnly), MemberType = typeof(KernelCases))]
    public void PoolAbove1WithoutAnIndicesBufferIsRejected(string backend)
    {
        var s = new BatchNormActPoolShape(1, 2, 4, 4, 2, Activation.Relu);
        using var h = fx.Harness(backend, DType.Float32, 1);
        var x = h.Rand(s.InputSize);
        var c1 = h.Up(Enumerable.Repeat(1.0, s.C).ToArray());
        var c0 = h.Up(new double[s.C]);
        Assert.ThrowsAny<ArgumentException>(() => h.Backend.BatchNormActPoolForwardTrain(h.Up(x), c1, c0, h.Out(s.OutputSize), null,
            h.Out(s.C), h.Out(s.C), h.Up(new double[s.C]), h.Up(Enumerable.Repeat(1.0, s.C).ToArray()), s, 0.1, 1e-5));
        var dy = h.Up(h.Rand(s.OutputSize));
        Assert.ThrowsAny<ArgumentException>(() => h.Backend.BatchNormActPoolBackward(h.Up(x), dy, null, c1, c0, c0, c1,
            h.Out(s.InputSize), h.Out(s.C), h.Out(s.C), s));
    }

    [Fact]
    public void IlgpuGroupedReductionMatchesTheGridStrideKernelOnTheSimulator()
    {
        // The GPU variant of the backward reduction (one 256-thread group per channel, shared-memory tree) and the
        // grouped statistics, forced onto a 256-thread-group simulator, against the grid-stride kernels in float64.
        using var grouped = IlgpuBackend.CreateCpuSimulator(tiledCapable: true);
        using var simple = IlgpuBackend.CreateCpuSimulator(tiledCapable: false);
        Assert.True(grouped.UseGroupedKernels && !simple.UseGroupedKernels);
        foreach (var s in new[] { new BatchNormActPoolShape(3, 4, 7, 9, 2, Activation.Gelu), new BatchNormActPoolShape(2, 3, 5, 6, 1, Activation.Relu) })
        {
            var rng = new Random(KernelCases.Seed(s.ToString()));
            double[] Rand(long n, double lo, double hi) => Enumerable.Range(0, (int)n).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray();
            var x = Rand(s.InputSize, -1, 3);
            var gamma = Rand(s.C, 0.5, 2);
            var beta = Rand(s.C, -1, 1);
            var dy = Rand(s.OutputSize, -1, 1);

            double[][] Run(IBackend be)
            {
                DeviceBuffer Up(double[] v) { var b = be.Allocate(DType.Float64, v.Length); be.Upload<double>(v, b); return b; }
                double[] Down(DeviceBuffer b, long n) { var r = new double[n]; be.Download<double>(b, r); return r; }
                using DeviceBuffer xb = Up(x), gb = Up(gamma), bb = Up(beta), dyb = Up(dy), y = be.Allocate(DType.Float64, s.OutputSize),
                    mean = be.Allocate(DType.Float64, s.C), inv = be.Allocate(DType.Float64, s.C), rm = Up(new double[s.C]),
                    rv = Up(Enumerable.Repeat(1.0, s.C).ToArray()), idx = be.Allocate(DType.Int32, s.OutputSize),
                    dx = be.Allocate(DType.Float64, s.InputSize), dg = be.Allocate(DType.Float64, s.C), db = be.Allocate(DType.Float64, s.C);
                be.BatchNormActPoolForwardTrain(xb, gb, bb, y, idx, mean, inv, rm, rv, s, 0.1, 1e-5);
                be.BatchNormActPoolBackward(xb, dyb, idx, gb, bb, mean, inv, dx, dg, db, s);
                var ix = new int[s.OutputSize];
                be.Download<int>(idx, ix);
                return [Down(y, s.OutputSize), ix.Select(i => (double)i).ToArray(), Down(mean, s.C), Down(inv, s.C), Down(rm, s.C), Down(rv, s.C),
                    Down(dx, s.InputSize), Down(dg, s.C), Down(db, s.C)];
            }
            var want = Run(simple);
            var got = Run(grouped);
            string[] names = ["y", "indices", "saveMean", "saveInvStd", "runningMean", "runningVar", "dx", "dgamma", "dbeta"];
            for (int k = 0; k < names.Length; k++)
                for (int i = 0; i < want[k].Length; i++)
                    Assert.True(Math.Abs(got[k][i] - want[k][i]) <= 1e-11 * (1 + Math.Abs(want[k][i])),
                        $"{s} {names[k]}[{i}]: grouped {got[k][i]}, grid-stride {want[k][i]}");
        }
    }
}
