using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>Conv2d forward, input gradient and weight gradient against the reference loops.</summary>
[Collection(KernelCollection.Name)]
public class ConvKernelTests(KernelBackendFixture fx)
{
    /// <summary>
    /// Geometries: non-square inputs, batch 1, stride 2, padding 0/1/2, kernels 1×1, 3×3, 5×5 and 2×3, 1×1 spatial,
    /// channel counts 3 and 17, padding larger than needed, and one layer of the seed model.
    /// </summary>
    public static TheoryData<string, DType, string> Shapes => KernelCases.Cross(
        "n2 c3 h5 w7 o4 k3 s1 p1",
        "n1 c3 h6 w6 o5 k3 s2 p1",
        "n2 c17 h4 w5 o3 k1 s1 p0",
        "n1 c2 h7 w5 o3 k5 s1 p2",
        "n2 c3 h1 w1 o4 k1 s1 p0",
        "n1 c3 h1 w1 o2 k3 s1 p1",
        "n2 c4 h8 w6 o17 k3 s2 p0",
        "n1 c3 h9 w8 o2 k5 s2 p2",
        "n1 c2 h5 w6 o3 k2x3 s1 p0",
        "n1 c17 h3 w3 o17 k3 s1 p2",
        "n2 c3 h6 w5 o2 k1 s2 p0",
        "n2 c16 h8 w8 o32 k3 s1 p1",
        // The CPU's direct convolution (stride 1, OutC ≥ 12 per 16-channel block): rows wider than 16 outputs
        // (a last overlapping vector), narrower (masked stores), a partial channel block, 5×5 and 2×3 and 1×1 taps,
        // padding 0 and 2, batch 1; the input gradient of most of these runs as a direct convolution of dy.
        "n1 c3 h5 w21 o16 k3 s1 p1",
        "n2 c2 h6 w9 o13 k3 s1 p1",
        "n1 c5 h4 w16 o28 k2x3 s1 p0",
        "n2 c4 h7 w18 o16 k5 s1 p2",
        "n1 c6 h3 w17 o16 k1 s1 p0",
        "n2 c16 h5 w33 o12 k3 s1 p0",
        // Maps at most 8 wide with "same" padding pack ⌊16/OW⌋ output rows into one vector: 2 rows of 7, 4 of 4,
        // 3 of 5 (5×5 taps), 5 of 3, and 1×1 taps; the last group of rows is partial in most of them.
        "n2 c5 h7 w7 o16 k3 s1 p1",
        "n1 c3 h4 w4 o13 k3 s1 p1",
        "n2 c4 h5 w5 o16 k5 s1 p2",
        "n1 c2 h6 w3 o16 k3 s1 p1",
        "n2 c8 h7 w7 o16 k1 s1 p0",
        // Asymmetric padding (top, left, bottom, right), as CNTK's ONNX exports have it: the 7×7/2 stem [3,3,2,2],
        // 3×3/2 with [1,1,0,0], and stride-1 cases on the direct, row-packed and flipped-kernel input-gradient routes.
        "n1 c3 h12 w11 o16 k7 s2 p3x3x2x2",
        "n2 c4 h9 w8 o5 k3 s2 p1x1x0x0",
        "n2 c3 h6 w9 o16 k3 s1 p0x2x1x0",
        "n1 c2 h5 w7 o13 k3 s1 p2x0x1x2",
        "n2 c5 h7 w7 o16 k3 s1 p1x0x0x1",
        "n1 c3 h6 w20 o4 k2x3 s1 p1x2x0x0");

    [Theory, MemberData(nameof(Shapes))]
    public void Conv2dForwardWithAndWithoutBiasMatchesReference(string backend, DType dtype, string spec)
    {
        var s = KernelCases.ParseConv(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        var x = h.Rand(s.InputSize);
        var w = h.Rand(s.WeightSize);
        var bias = h.Rand(s.OutC);
        var bx = h.Up(x);
        var bw = h.Up(w);
        var tol = Tol.Reduction(dtype, (long)s.C * s.KH * s.KW);
        int[] dims = [s.N, s.OutC, s.OH, s.OW];

        var y = h.Out(s.OutputSize);
        h.Backend.Conv2dForward(bx, bw, h.Up(bias), y, s);
        h.AssertClose($"Conv2dForward {s} with bias", R.Conv2dForward(x, w, bias, s), y, tol, dims);

        var y2 = h.Out(s.OutputSize);
        h.Backend.Conv2dForward(bx, bw, null, y2, s);
        h.AssertClose($"Conv2dForward {s} without bias", R.Conv2dForward(x, w, null, s), y2, tol, dims);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Conv2dBackwardInputMatchesReferenceAndWritesEveryInputPixel(string backend, DType dtype, string spec)
    {
        // dx starts as NaN: pixels no window touches (1×1 kernel, stride 2) must still be written, as 0.
        var s = KernelCases.ParseConv(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 1);
        var dy = h.Rand(s.OutputSize);
        var w = h.Rand(s.WeightSize);
        var dx = h.Out(s.InputSize);
        h.Backend.Conv2dBackwardInput(h.Up(dy), h.Up(w), dx, s);
        h.AssertClose($"Conv2dBackwardInput {s}", R.Conv2dBackwardInput(dy, w, s), dx,
            Tol.Reduction(dtype, (long)s.OutC * s.KH * s.KW), [s.N, s.C, s.H, s.W]);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Conv2dBackwardWeightMatchesReferenceAndOverwritesDw(string backend, DType dtype, string spec)
    {
        var s = KernelCases.ParseConv(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 2);
        var x = h.Rand(s.InputSize);
        var dy = h.Rand(s.OutputSize);
        var dw = h.Out(s.WeightSize);
        h.Backend.Conv2dBackwardWeight(h.Up(x), h.Up(dy), dw, s);
        h.AssertClose($"Conv2dBackwardWeight {s}", R.Conv2dBackwardWeight(x, dy, s), dw,
            Tol.Reduction(dtype, (long)s.N * s.OH * s.OW), [s.OutC, s.C, s.KH, s.KW]);
    }

    [Theory, MemberData(nameof(KernelCases.BackendsAndDTypes), MemberType = typeof(KernelCases))]
    public void Conv2dKernelsGiveTheSameResultWhenCalledTwice(string backend, DType dtype)
    {
        // Catches kernels that keep state (packing buffers, caches) across calls with different geometries.
        using var h = fx.Harness(backend, dtype, 12);
        var s1 = new Conv2dShape(2, 3, 6, 5, 4, 3, 3, 1, 1);
        var s2 = new Conv2dShape(1, 5, 4, 7, 2, 1, 1, 2, 0);
        foreach (var s in new[] { s1, s2, s1 })
        {
            var x = h.Rand(s.InputSize);
            var w = h.Rand(s.WeightSize);
            var y = h.Out(s.OutputSize);
            h.Backend.Conv2dForward(h.Up(x), h.Up(w), null, y, s);
            h.AssertClose($"Conv2dForward {s} (sequence)", R.Conv2dForward(x, w, null, s), y, Tol.Reduction(dtype, (long)s.C * s.KH * s.KW));
        }
    }
}
