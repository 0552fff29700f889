using ScratchNet.Kernels;
using ScratchNet.Kernels.Cpu;
using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The vector 2×2/2 max-pool (<see cref="MaxPool2x2Kernels"/>) at every tier this machine can run, in one process,
/// against the scalar rule written out here: the first maximum in scan order wins, and a NaN wins over any number
/// (the first NaN, PyTorch propagates NaN) — including NaNs, ties and −∞ that the random-data kernel tests miss.
/// </summary>
public unsafe class MaxPool2x2TierTests
{
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var tier in SimdTiers.Available)
            foreach (var (h, w) in new[] { (4, 6), (6, 14), (5, 29), (3, 32), (4, 67) })
                data.Add(SimdTiers.Name(tier), h, w);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void ForwardGatherAndBackwardFollowTheScalarRuleWithNaNsAndTies(string tierName, int H, int W)
    {
        var tier = SimdTiers.Parse(tierName, "test");
        int oh = H / 2, ow = W / 2;
        var rng = new Random(H * 100 + W);
        float[] levels = [0f, 1f, float.NaN, float.NegativeInfinity, -0f, 2f];
        var x = Enumerable.Range(0, H * W).Select(_ => rng.Next(10) < 7 ? levels[rng.Next(2)] : levels[rng.Next(levels.Length)]).ToArray();
        var (yRef, iRef) = Reference(x, H, W);
        var y = new float[oh * ow]; var idx = new int[oh * ow]; var xs = new float[oh * ow];
        var dy = Enumerable.Range(0, oh * ow).Select(i => (float)(i + 1)).ToArray();
        var dx = Enumerable.Repeat(float.NaN, H * W).ToArray(); // every element must be written
        fixed (float* px = x, py = y, pxs = xs, pdy = dy, pdx = dx)
        fixed (int* pi = idx)
        {
            MaxPool2x2Kernels.Forward(tier, px, py, pi, oh, ow, W);
            MaxPool2x2Kernels.GatherAtArgmax(tier, px, pi, pxs, oh, ow, W);
            MaxPool2x2Kernels.Backward(tier, pdy, pi, pdx, oh, ow, H, W);
        }
        for (int o = 0; o < oh * ow; o++)
        {
            Assert.True(iRef[o] == idx[o], $"{tierName} {H}x{W} output {o}: argmax {idx[o]}, expected {iRef[o]}");
            Assert.Equal(BitConverter.SingleToInt32Bits(yRef[o]), BitConverter.SingleToInt32Bits(y[o]));
            Assert.Equal(BitConverter.SingleToInt32Bits(x[iRef[o]]), BitConverter.SingleToInt32Bits(xs[o]));
        }
        var dxRef = new float[H * W];
        for (int o = 0; o < oh * ow; o++) dxRef[iRef[o]] = dy[o];
        Assert.Equal(dxRef, dx);
    }

    private static (float[] Y, int[] I) Reference(float[] x, int H, int W)
    {
        int oh = H / 2, ow = W / 2;
        var y = new float[oh * ow]; var idx = new int[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int bi = 2 * i * W + 2 * j;
                foreach (int at in new[] { bi + 1, bi + W, bi + W + 1 })
                    if (x[at] > x[bi] || float.IsNaN(x[at]) && !float.IsNaN(x[bi])) bi = at;
                y[i * ow + j] = x[bi]; idx[i * ow + j] = bi;
            }
        return (y, idx);
    }
}
