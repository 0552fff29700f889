using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>Memory and elementwise ops (Fill, Scale, Axpy, ClampMin, Copy, ReLU, GELU, sigmoid) against the reference.</summary>
[Collection(KernelCollection.Name)]
public class ElementwiseKernelTests(KernelBackendFixture fx)
{
    /// <summary>Lengths that are not multiples of any vector width or group size, plus 1.</summary>
    private static readonly int[] Sizes = [1, 7, 33, 1037];

    public static TheoryData<string, DType> All => KernelCases.BackendsAndDTypes;
    public static TheoryData<string> Backends => KernelCases.BackendsOnly;

    [Theory, MemberData(nameof(All))]
    public void UploadThenDownloadRoundTripsExactly(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 1);
        foreach (int n in Sizes)
        {
            var x = h.Rand(n, -1e3, 1e3);
            h.AssertClose($"Upload/Download n={n}", x, h.Up(x), Tol.Exact);
        }
    }

    [Theory, MemberData(nameof(Backends))]
    public void UploadThenDownloadRoundTripsInt32(string backend)
    {
        using var h = fx.Harness(backend, DType.Int32, 1);
        int[] x = [0, -1, int.MaxValue, int.MinValue, 42, 7, -7];
        h.AssertEqualInts("Upload/Download int32", x, h.UpInt(x));
    }

    [Theory, MemberData(nameof(All))]
    public void FillWritesTheValueToTheFirstNElementsOnly(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 2);
        foreach (int n in Sizes)
        {
            var y = h.Out(n + 3);
            h.Backend.Fill(y, n, -2.5);
            var expected = R.Fill(Enumerable.Repeat(double.NaN, n + 3).ToArray(), n, -2.5);
            h.AssertClose($"Fill n={n}", expected, y, Tol.Exact);
        }
    }

    [Theory, MemberData(nameof(Backends))]
    public void FillOnInt32TruncatesTheValue(string backend)
    {
        using var h = fx.Harness(backend, DType.Int32, 2);
        var y = h.OutInt(9);
        h.Backend.Fill(y, 9, 3.7);
        h.AssertEqualInts("Fill int32 3.7", Enumerable.Repeat(3, 9).ToArray(), y);
        h.Backend.Fill(y, 4, -2.7);
        h.AssertEqualInts("Fill int32 -2.7 (first 4 of 9)", [-2, -2, -2, -2, 3, 3, 3, 3, 3], y);
    }

    [Theory, MemberData(nameof(All))]
    public void ScaleMultipliesIntoANewBufferAndInPlace(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 3);
        foreach (int n in Sizes)
        {
            var x = h.Rand(n);
            var bx = h.Up(x);
            var y = h.Out(n);
            h.Backend.Scale(bx, y, n, -1.75);
            h.AssertClose($"Scale n={n}", R.Scale(x, -1.75), y, Tol.Elementwise(dtype));
            h.Backend.Scale(bx, bx, n, 0.5);
            h.AssertClose($"Scale in place n={n}", R.Scale(x, 0.5), bx, Tol.Elementwise(dtype));
        }
    }

    [Theory, MemberData(nameof(All))]
    public void AxpyAccumulatesIntoY(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 4);
        foreach (int n in Sizes)
        {
            var x = h.Rand(n);
            var y0 = h.Rand(n);
            var by = h.Up(y0);
            h.Backend.Axpy(h.Up(x), by, n, 0.3);
            h.AssertClose($"Axpy n={n}", R.Axpy(x, y0, 0.3), by, Tol.Elementwise(dtype));
        }
    }

    [Theory, MemberData(nameof(All))]
    public void ClampMinClampsIntoANewBufferAndInPlace(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 5);
        foreach (int n in Sizes)
        {
            var x = h.Rand(n);
            var bx = h.Up(x);
            var y = h.Out(n);
            h.Backend.ClampMin(bx, y, n, h.Q(0.25));
            h.AssertClose($"ClampMin n={n}", R.ClampMin(x, h.Q(0.25)), y, Tol.Exact);
            h.Backend.ClampMin(bx, bx, n, h.Q(-0.1));
            h.AssertClose($"ClampMin in place n={n}", R.ClampMin(x, h.Q(-0.1)), bx, Tol.Exact);
        }
    }

    [Theory, MemberData(nameof(All))]
    public void CopyMovesARangeBetweenOffsets(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 6);
        var src = h.Rand(50);
        var dst = h.Rand(60);
        var bdst = h.Up(dst);
        h.Backend.Copy(h.Up(src), 7, bdst, 11, 37);
        h.AssertClose("Copy src[7..44) → dst[11..48)", R.Copy(src, 7, dst, 11, 37), bdst, Tol.Exact);
    }

    [Theory, MemberData(nameof(All))]
    public void ReluForwardAndBackwardMatchReferenceWithZeroGradientAtZero(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 7);
        foreach (int n in Sizes)
        {
            var x = h.Rand(n);
            for (int i = 0; i < n; i += 3) x[i] = 0.0; // the kink: forward 0, gradient 0
            var dy = h.Rand(n);
            var bx = h.Up(x);
            var y = h.Out(n);
            h.Backend.ReluForward(bx, y, n);
            h.AssertClose($"ReluForward n={n}", R.ReluForward(x), y, Tol.Exact);
            var dx = h.Out(n);
            h.Backend.ReluBackward(bx, h.Up(dy), dx, n);
            h.AssertClose($"ReluBackward n={n}", R.ReluBackward(x, dy), dx, Tol.Exact);
        }
    }

    [Theory, MemberData(nameof(All))]
    public void GeluForwardAndBackwardMatchExactErfGelu(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 8);
        foreach (int n in Sizes)
        {
            var x = h.Rand(n, -6, 6);
            // Beyond ±13.2 the vector exp flushes e^(−x²/2) to 0 (its denormal guard); ±1e4 also caps u inside t.
            double[] special = [0, 1, -1, 0.5, -0.5, 2.5, -2.5, 3, -3, 5.9, -5.9, 8, -8, 1e-4, 13, -13, 14, -14, 40, -40, 1e4, -1e4];
            for (int i = 0; i < Math.Min(n, special.Length); i++) x[i] = h.Q(special[i]);
            var dy = h.Rand(n);
            var bx = h.Up(x);
            var y = h.Out(n);
            h.Backend.GeluForward(bx, y, n);
            h.AssertClose($"GeluForward n={n}", R.GeluForward(x), y, Tol.Series(dtype));
            var dx = h.Out(n);
            h.Backend.GeluBackward(bx, h.Up(dy), dx, n);
            h.AssertClose($"GeluBackward n={n}", R.GeluBackward(x, dy), dx, Tol.Series(dtype));
        }
    }

    [Theory, MemberData(nameof(All))]
    public void SigmoidForwardIsStableForLargeInputsAndBackwardUsesTheOutput(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 9);
        foreach (int n in Sizes)
        {
            var x = h.Rand(n, -8, 8);
            double[] special = [0, 100, -100, 800, -800, 20, -20, 1e-3];
            for (int i = 0; i < Math.Min(n, special.Length); i++) x[i] = h.Q(special[i]);
            var y = h.Out(n);
            h.Backend.SigmoidForward(h.Up(x), y, n);
            h.AssertClose($"SigmoidForward n={n}", R.SigmoidForward(x), y, Tol.Elementwise(dtype));

            var yv = h.Rand(n, 0, 1);
            var dy = h.Rand(n);
            var dx = h.Out(n);
            h.Backend.SigmoidBackward(h.Up(yv), h.Up(dy), dx, n);
            h.AssertClose($"SigmoidBackward n={n}", R.SigmoidBackward(yv, dy), dx, Tol.Elementwise(dtype));
        }
    }

    [Theory, MemberData(nameof(All))]
    public void DropoutMaskMatchesTheCounterBasedRngAndScalesKeptValues(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 10);
        foreach (int n in Sizes)
            foreach (var (p, seed) in new[] { (0.5, 42UL), (0.1, 7UL), (0.0, 3UL), (0.9, ulong.MaxValue) })
            {
                var x = h.Rand(n);
                var (mask, yRef) = R.DropoutForward(x, p, seed);
                var bm = h.Out(n);
                var by = h.Out(n);
                h.Backend.DropoutForward(h.Up(x), bm, by, n, p, seed);
                h.AssertClose($"DropoutForward mask n={n} p={p} seed={seed}", mask, bm, Tol.Elementwise(dtype));
                h.AssertClose($"DropoutForward y n={n} p={p} seed={seed}", yRef, by, Tol.Elementwise(dtype));
            }
    }
}
