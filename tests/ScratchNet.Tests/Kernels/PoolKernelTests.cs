using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>Max pooling (values and argmax indices), average pooling and global average pooling.</summary>
[Collection(KernelCollection.Name)]
public class PoolKernelTests(KernelBackendFixture fx)
{
    /// <summary>
    /// k2 s2 and overlapping k3 s2 on odd sizes, padding, stride 1, 1×1 planes, 17 channels; the vector 2×2/2 path
    /// at rows narrower than, as wide as and wider than each tier's vector (7, 14, 15, 33 outputs), odd W and H.
    /// </summary>
    public static TheoryData<string, DType, string> Shapes => KernelCases.Cross(
        "n2 c3 h7 w9 k2 s2 p0",
        "n1 c3 h7 w7 k3 s2 p0",
        "n2 c17 h9 w6 k3 s2 p1",
        "n1 c2 h5 w5 k3 s1 p1",
        "n1 c2 h1 w1 k1 s1 p0",
        "n2 c2 h8 w8 k2 s2 p1",
        "n1 c3 h6 w5 k5 s2 p2",
        "n3 c16 h16 w16 k2 s2 p0",
        "n1 c2 h14 w14 k2 s2 p0",
        "n1 c2 h5 w28 k2 s2 p0",
        "n2 c3 h6 w31 k2 s2 p0",
        "n2 c2 h4 w67 k2 s2 p0",
        "n2 c3 h9 w8 k3 s2 p1x1x0x0",   // CNTK's max-pool: padding above and left only
        "n1 c2 h7 w6 k3 s1 p0x1x1x0",
        "n2 c2 h8 w9 k2 s2 p1x0x0x1");

    [Theory, MemberData(nameof(Shapes))]
    public void MaxPool2dForwardMatchesValuesAndFlatArgmaxIndices(string backend, DType dtype, string spec)
    {
        var s = KernelCases.ParsePool(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        var x = h.Rand(s.InputSize);
        var (yRef, idxRef) = R.MaxPool2dForward(x, s);
        var y = h.Out(s.OutputSize);
        var idx = h.OutInt(s.OutputSize);
        h.Backend.MaxPool2dForward(h.Up(x), y, idx, s);
        int[] dims = [s.N, s.C, s.OH, s.OW];
        h.AssertClose($"MaxPool2dForward {s} y", yRef, y, Tol.Exact, dims);
        h.AssertEqualInts($"MaxPool2dForward {s} indices (h·W + w)", idxRef, idx, dims);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void MaxPool2dForwardBreaksTiesByTheFirstMaximumInRowMajorOrder(string backend, DType dtype, string spec)
    {
        var s = KernelCases.ParsePool(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 1);
        var x = h.RandLevels(s.InputSize, 2); // 0s and 1s: almost every window has ties
        var (yRef, idxRef) = R.MaxPool2dForward(x, s);
        var y = h.Out(s.OutputSize);
        var idx = h.OutInt(s.OutputSize);
        h.Backend.MaxPool2dForward(h.Up(x), y, idx, s);
        int[] dims = [s.N, s.C, s.OH, s.OW];
        h.AssertClose($"MaxPool2dForward {s} y (ties)", yRef, y, Tol.Exact, dims);
        h.AssertEqualInts($"MaxPool2dForward {s} indices (ties: first max wins)", idxRef, idx, dims);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void MaxPool2dForwardPadsWithNegativeInfinityNotZero(string backend, DType dtype, string spec)
    {
        var s = KernelCases.ParsePool(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 2);
        var x = h.Rand(s.InputSize, -2, -1); // all negative: a zero pad would win every edge window
        var (yRef, idxRef) = R.MaxPool2dForward(x, s);
        var y = h.Out(s.OutputSize);
        var idx = h.OutInt(s.OutputSize);
        h.Backend.MaxPool2dForward(h.Up(x), y, idx, s);
        h.AssertClose($"MaxPool2dForward {s} y (all-negative input)", yRef, y, Tol.Exact, [s.N, s.C, s.OH, s.OW]);
        h.AssertEqualInts($"MaxPool2dForward {s} indices (all-negative input)", idxRef, idx, [s.N, s.C, s.OH, s.OW]);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void MaxPool2dBackwardRoutesGradientToArgmaxAndSumsOverlaps(string backend, DType dtype, string spec)
    {
        var s = KernelCases.ParsePool(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 3);
        // ties make shared argmaxes across overlapping windows common
        var x = h.RandLevels(s.InputSize, 3);
        var (_, idxRef) = R.MaxPool2dForward(x, s);
        var dy = h.Rand(s.OutputSize);
        var dx = h.Out(s.InputSize);
        h.Backend.MaxPool2dBackward(h.Up(dy), h.UpInt(idxRef), dx, s);
        h.AssertClose($"MaxPool2dBackward {s}", R.MaxPool2dBackward(dy, idxRef, s), dx,
            Tol.Reduction(dtype, (long)s.K * s.K), [s.N, s.C, s.H, s.W]);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void AvgPool2dForwardAndBackwardCountPaddingInTheDivisor(string backend, DType dtype, string spec)
    {
        var s = KernelCases.ParsePool(spec);
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 4);
        var x = h.Rand(s.InputSize);
        var y = h.Out(s.OutputSize);
        h.Backend.AvgPool2dForward(h.Up(x), y, s);
        var tol = Tol.Reduction(dtype, (long)s.K * s.K);
        h.AssertClose($"AvgPool2dForward {s}", R.AvgPool2dForward(x, s), y, tol, [s.N, s.C, s.OH, s.OW]);

        var dy = h.Rand(s.OutputSize);
        var dx = h.Out(s.InputSize);
        h.Backend.AvgPool2dBackward(h.Up(dy), dx, s);
        h.AssertClose($"AvgPool2dBackward {s}", R.AvgPool2dBackward(dy, s), dx, tol, [s.N, s.C, s.H, s.W]);
    }

    public static TheoryData<string, DType, string> GlobalShapes => KernelCases.Cross("rows6 hw49", "rows17 hw1", "rows1 hw1037", "rows64 hw4", "rows3 hw3136");

    [Theory, MemberData(nameof(GlobalShapes))]
    public void GlobalAvgPoolForwardAndBackwardMatchReference(string backend, DType dtype, string spec)
    {
        var m = KernelCases.ParseSpec(spec);
        int rows = m["rows"][0], hw = m["hw"][0];
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        var x = h.Rand((long)rows * hw);
        var y = h.Out(rows);
        h.Backend.GlobalAvgPoolForward(h.Up(x), y, rows, hw);
        h.AssertClose($"GlobalAvgPoolForward rows={rows} hw={hw}", R.GlobalAvgPoolForward(x, rows, hw), y, Tol.Reduction(dtype, hw));

        var dy = h.Rand(rows);
        var dx = h.Out((long)rows * hw);
        h.Backend.GlobalAvgPoolBackward(h.Up(dy), dx, rows, hw);
        h.AssertClose($"GlobalAvgPoolBackward rows={rows} hw={hw}", R.GlobalAvgPoolBackward(dy, rows, hw), dx, Tol.Elementwise(dtype), [rows, hw]);
    }
}
