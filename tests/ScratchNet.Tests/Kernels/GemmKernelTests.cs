using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>GEMM, <c>C = alpha·op(A)·op(B) + beta·C</c>, against the reference for every transpose combination.</summary>
[Collection(KernelCollection.Name)]
public class GemmKernelTests(KernelBackendFixture fx)
{
    /// <summary>(M, N, K) triples: each of 1, 3, 17, 33, 65 appears in each position; none is a multiple of a tile.</summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 17, 65), (17, 1, 65), (65, 17, 1), (3, 3, 3), (17, 17, 17),
        (33, 3, 17), (3, 33, 65), (65, 33, 3), (17, 65, 33), (33, 65, 1), (65, 1, 33),
        (1, 65, 3), (65, 65, 17), (33, 33, 33),
    ];

    /// <summary>Backend × dtype × (transA, transB, beta): beta 0 with a NaN-filled C, 1 and 0.5.</summary>
    public static TheoryData<string, DType, string> Cases =>
        KernelCases.Cross(
            "nn b0", "nn b1", "nn b0.5",
            "tn b0", "tn b1", "tn b0.5",
            "nt b0", "nt b1", "nt b0.5",
            "tt b0", "tt b1", "tt b0.5");

    [Theory, MemberData(nameof(Cases))]
    public void GemmMatchesReferenceForOddSizesTransposesAlphaAndBeta(string backend, DType dtype, string spec)
    {
        bool transA = spec[0] == 't', transB = spec[1] == 't';
        double beta = double.Parse(spec[(spec.IndexOf('b') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        int idx = 0;
        foreach (var (m, n, k) in Shapes)
        {
            double alpha = idx++ % 2 == 0 ? 1.0 : -1.25;
            var a = h.Rand((long)m * k);
            var b = h.Rand((long)k * n);
            // beta = 0 must ignore C entirely, even NaN
            var c0 = beta == 0 ? Enumerable.Repeat(double.NaN, m * n).ToArray() : h.Rand((long)m * n);
            var bc = h.Up(c0);
            h.Backend.Gemm(transA, transB, m, n, k, alpha, h.Up(a), h.Up(b), beta, bc);
            var expected = R.Gemm(transA, transB, m, n, k, alpha, a, b, beta, c0);
            h.AssertClose($"Gemm transA={transA} transB={transB} M={m} N={n} K={k} alpha={alpha} beta={beta}",
                expected, bc, Tol.Reduction(dtype, k), [m, n]);
        }
    }

    [Theory, MemberData(nameof(KernelCases.BackendsAndDTypes), MemberType = typeof(KernelCases))]
    public void GemmOfLinearLayerShapesMatchesReference(string backend, DType dtype)
    {
        // The three GEMMs of Linear(64 → 32) on a batch of 16: y = x·Wᵀ, dx = dy·W, dW = dyᵀ·x.
        using var h = fx.Harness(backend, dtype, 11);
        int batch = 16, inF = 64, outF = 32;
        var x = h.Rand(batch * inF);
        var w = h.Rand(outF * inF);
        var dy = h.Rand(batch * outF);
        var y = h.Out(batch * outF);
        h.Backend.Gemm(false, true, batch, outF, inF, 1, h.Up(x), h.Up(w), 0, y);
        h.AssertClose("Gemm Linear forward x·Wᵀ", R.Gemm(false, true, batch, outF, inF, 1, x, w, 0, []), y, Tol.Reduction(dtype, inF), [batch, outF]);
        var dx = h.Out(batch * inF);
        h.Backend.Gemm(false, false, batch, inF, outF, 1, h.Up(dy), h.Up(w), 0, dx);
        h.AssertClose("Gemm Linear dx = dy·W", R.Gemm(false, false, batch, inF, outF, 1, dy, w, 0, []), dx, Tol.Reduction(dtype, outF), [batch, inF]);
        var dw = h.Out(outF * inF);
        h.Backend.Gemm(true, false, outF, inF, batch, 1, h.Up(dy), h.Up(x), 0, dw);
        h.AssertClose("Gemm Linear dW = dyᵀ·x", R.Gemm(true, false, outF, inF, batch, 1, dy, x, 0, []), dw, Tol.Reduction(dtype, batch), [outF, inF]);
    }
}
