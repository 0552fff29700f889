using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>Broadcast binary ops, SumTo (the backward of broadcasting and every sum) and CopyChannels.</summary>
[Collection(KernelCollection.Name)]
public class BroadcastKernelTests(KernelBackendFixture fx)
{
    /// <summary>"a-shape b-shape" pairs: trailing alignment, size-1 dims on either side, rank 1 to 4.</summary>
    public static TheoryData<string, DType, string> BinaryShapes => KernelCases.Cross(
        "a4x3 b3",
        "a2x3x1x5 b3x4x1",
        "a5 b1",
        "a1 b5",
        "a3x1 b1x4",
        "a2x3x4x5 b2x3x4x5",
        "a1x17x1x1 b2x17x3x3",
        "a2x17x3x3 b17x1x1",
        "a1037 b1037");

    [Theory, MemberData(nameof(BinaryShapes))]
    public void BinaryOpsBroadcastLikeNumPy(string backend, DType dtype, string spec)
    {
        var m = KernelCases.ParseSpec(spec);
        int[] sa = m["a"], sb = m["b"];
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        var a = h.Rand(sa.Aggregate(1L, (p, v) => p * v));
        // b away from 0 so Div is well conditioned
        var b = h.Rand(sb.Aggregate(1L, (p, v) => p * v), 0.5, 2).Select((v, i) => i % 2 == 0 ? v : -v).ToArray();
        var shape = Broadcast4.Of(sa, sb, "test");
        var ba = h.Up(a);
        var bb = h.Up(b);
        foreach (var op in new[] { BinaryOp.Add, BinaryOp.Sub, BinaryOp.Mul, BinaryOp.Div })
        {
            var (expected, outShape) = R.Binary(op, a, sa, b, sb);
            Assert.Equal(expected.Length, shape.Count);
            var y = h.Out(shape.Count);
            h.Backend.Binary(op, ba, bb, y, shape);
            h.AssertClose($"Binary {op} [{string.Join(",", sa)}] ∘ [{string.Join(",", sb)}]", expected, y, Tol.Elementwise(dtype), outShape);
        }
    }

    [Theory, MemberData(nameof(KernelCases.BackendsAndDTypes), MemberType = typeof(KernelCases))]
    public void BinaryOutputMayAliasAnInputOfTheSameShape(string backend, DType dtype)
    {
        // In-place a += b with b broadcast: the Tensors layer does this for bias adds.
        using var h = fx.Harness(backend, dtype, 13);
        int[] sa = [4, 3, 5], sb = [3, 1];
        var a = h.Rand(60);
        var b = h.Rand(3);
        var ba = h.Up(a);
        h.Backend.Binary(BinaryOp.Add, ba, h.Up(b), ba, Broadcast4.Of(sa, sb, "test"));
        h.AssertClose("Binary Add in place [4,3,5] += [3,1]", R.Binary(BinaryOp.Add, a, sa, b, sb).Out, ba, Tol.Elementwise(dtype), sa);
    }

    /// <summary>"x-dims y-dims", both padded to 4: to [1,C] (from [N,C]), [1,C,1] (from [N,C,HW]), [1,C,1,1], full, identity.</summary>
    public static TheoryData<string, DType, string> SumShapes => KernelCases.Cross(
        "x1x1x6x17 y1x1x1x17",
        "x1x4x3x25 y1x1x3x1",
        "x2x3x4x5 y1x3x1x1",
        "x2x3x4x5 y1x1x1x1",
        "x2x3x4x5 y2x3x4x5",
        "x4x3x1x7 y4x1x1x7",
        "x2x3x4x5 y2x1x4x1",
        "x1x1x1x1037 y1x1x1x1",
        "x1x1x1037x3 y1x1x1037x1",
        "x3x17x9x9 y1x17x1x1");

    [Theory, MemberData(nameof(SumShapes))]
    public void SumToReducesOverTheSizeOneDims(string backend, DType dtype, string spec)
    {
        var m = KernelCases.ParseSpec(spec);
        int[] xd = m["x"], yd = m["y"];
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        long xn = xd.Aggregate(1L, (p, v) => p * v), yn = yd.Aggregate(1L, (p, v) => p * v);
        var x = h.Rand(xn);
        var y = h.Out(yn);
        h.Backend.SumTo(h.Up(x), xd, y, yd);
        h.AssertClose($"SumTo [{string.Join(",", xd)}] → [{string.Join(",", yd)}]", R.SumTo(x, xd, yd), y,
            Tol.Reduction(dtype, xn / yn), yd);
    }

    /// <summary>"n hw srcC srcC0 dstC dstC0 c": concat into an offset, split out of one, whole copies.</summary>
    public static TheoryData<string, DType, string> ChannelCases => KernelCases.Cross(
        "n2 hw5 sc3 s0 dc7 d2 c3",
        "n2 hw5 sc7 s4 dc3 d0 c3",
        "n1 hw1 sc17 s0 dc17 d0 c17",
        "n3 hw17 sc20 s3 dc40 d23 c17",
        "n1 hw9 sc4 s1 dc4 d1 c2");

    [Theory, MemberData(nameof(ChannelCases))]
    public void CopyChannelsWritesOnlyTheTargetChannels(string backend, DType dtype, string spec)
    {
        var m = KernelCases.ParseSpec(spec);
        int n = m["n"][0], hw = m["hw"][0], sc = m["sc"][0], s0 = m["s"][0], dc = m["dc"][0], d0 = m["d"][0], c = m["c"][0];
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        var src = h.Rand((long)n * sc * hw);
        var dst = h.Rand((long)n * dc * hw); // channels outside [d0, d0+c) must keep these values
        var bdst = h.Up(dst);
        h.Backend.CopyChannels(h.Up(src), sc, s0, bdst, dc, d0, n, c, hw);
        h.AssertClose($"CopyChannels {spec}", R.CopyChannels(src, sc, s0, dst, dc, d0, n, c, hw), bdst, Tol.Exact, [n, dc, hw]);
    }
}
