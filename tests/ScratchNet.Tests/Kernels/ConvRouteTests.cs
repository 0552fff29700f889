using ScratchNet.Kernels;
using ScratchNet.Kernels.Cpu;
using ScratchNet.Kernels.Cpu.Simd;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The CPU convolution has more than one route per direction (direct or im2col GEMM forward; GEMM + col2im or a
/// convolution of dy for the input gradient; direct, dW or dWᵀ GEMM for the weight gradient) and picks by shape and
/// SIMD tier, so the backend tests only see the chosen one. Each route is forced here, at every tier this machine can
/// run, on shapes of both kinds and checked against the reference loops; a route forced onto a shape it cannot
/// compute must refuse, not fall back.
/// </summary>
public unsafe class ConvRouteTests
{
    private static readonly string[] Shapes =
    {
        "n2 c16 h9 w20 o32 k3 s1 p1",
        "n1 c3 h7 w13 o16 k3 s1 p1",
        "n2 c8 h6 w17 o12 k3 s1 p0",
        "n2 c32 h5 w5 o64 k3 s1 p1",
        "n3 c5 h9 w37 o7 k2x3 s1 p0",
        "n2 c2 h12 w40 o16 k5 s1 p2",
        "n4 c16 h7 w7 o32 k3 s1 p1",
        "n2 c8 h5 w5 o16 k3 s1 p1",
        "n2 c3 h3 w3 o9 k3 s1 p1",    // maps narrower than every vector: rows packed into one vector on wide tiers
        "n2 c4 h2 w2 o8 k1 s1 p0",    // 1×1 on a 2×2 map
        "n2 c4 h16 w19 o20 k3 s1 p1", // OutC not a multiple of any channel block; rows of 2⅜ AVX2 vectors
        "n2 c3 h11 w13 o16 k3 s2 p1", // stride 2: only the GEMM routes compute it
        "n2 c8 h9 w17 o16 k3 s1 p1x0x2x1", // asymmetric padding (top, left, bottom, right) on every route
        "n2 c3 h11 w13 o16 k3 s2 p1x1x0x0", // CNTK's strided 3×3
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var tier in SimdTiers.Available)
            foreach (var shape in Shapes)
                data.Add(SimdTiers.Name(tier), shape);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void EveryRouteMatchesTheReference(string tierName, string spec)
    {
        var tier = SimdTiers.Parse(tierName, "test");
        var s = KernelCases.ParseConv(spec);
        var rng = new Random(KernelCases.Seed(spec));
        double[] Rand(long n) => Enumerable.Range(0, (int)n).Select(_ => Math.Round(rng.NextDouble() * 2 - 1, 3)).ToArray();
        var x = Rand(s.InputSize); var w = Rand(s.WeightSize); var b = Rand(s.OutC); var dy = Rand(s.OutputSize);
        float[] F(double[] a) => a.Select(v => (float)v).ToArray();
        float[] xf = F(x), wf = F(w), bf = F(b), dyf = F(dy);
        var par = new CpuParallel(2, tier);
        var partials = new SharedScratch<float>();
        var tolFwd = 1e-5 * s.C * s.KH * s.KW;
        bool direct = DirectConvKernels.Supports(s);
        bool asConv = s.Stride == 1 && s.KH == s.KW && Math.Max(Math.Max(s.Pad.Top, s.Pad.Bottom), Math.Max(s.Pad.Left, s.Pad.Right)) < s.KH && !(s.KH == 1 && s.Pad == 0);
        fixed (float* px = xf, pw = wf, pb = bf, pdy = dyf)
        {
            foreach (var route in Enum.GetValues<Conv2dKernels.ForwardRoute>())
            {
                var y = new float[s.OutputSize];
                if (route == Conv2dKernels.ForwardRoute.Direct && !direct)
                {
                    string? refusal = null;
                    try { fixed (float* py = y) Conv2dKernels.Forward(par, px, pw, pb, py, s, route); }
                    catch (ArgumentException e) { refusal = e.Message; }
                    Assert.True(refusal != null, $"forward forced {route} on {s} must refuse");
                    continue;
                }
                fixed (float* py = y) Conv2dKernels.Forward(par, px, pw, pb, py, s, route);
                AssertClose($"forward ({route}, {tierName}) {s}", R.Conv2dForward(x, w, b, s), y, tolFwd);
            }
            foreach (var route in Enum.GetValues<Conv2dKernels.InputGradRoute>())
            {
                var dx = new float[s.InputSize];
                if (route == Conv2dKernels.InputGradRoute.AsConv && !asConv)
                {
                    string? refusal = null;
                    try { fixed (float* pdx = dx) Conv2dKernels.BackwardInput(par, pdy, pw, pdx, s, route); }
                    catch (ArgumentException e) { refusal = e.Message; }
                    Assert.True(refusal != null, $"input gradient forced {route} on {s} must refuse");
                    continue;
                }
                fixed (float* pdx = dx) Conv2dKernels.BackwardInput(par, pdy, pw, pdx, s, route);
                AssertClose($"input gradient ({route}, {tierName}) {s}", R.Conv2dBackwardInput(dy, w, s), dx, 1e-5 * s.OutC * s.KH * s.KW);
            }
            foreach (var route in Enum.GetValues<Conv2dKernels.WeightGradRoute>())
            {
                var dw = new float[s.WeightSize];
                if (route == Conv2dKernels.WeightGradRoute.Direct && !direct)
                {
                    string? refusal = null;
                    try { fixed (float* pdw = dw) Conv2dKernels.BackwardWeight(par, partials, px, pdy, pdw, s, route); }
                    catch (ArgumentException e) { refusal = e.Message; }
                    Assert.True(refusal != null, $"weight gradient forced {route} on {s} must refuse");
                    continue;
                }
                fixed (float* pdw = dw) Conv2dKernels.BackwardWeight(par, partials, px, pdy, pdw, s, route);
                AssertClose($"weight gradient ({route}, {tierName}) {s}", R.Conv2dBackwardWeight(x, dy, s), dw, 1e-5 * s.N * s.OH * s.OW);
            }
        }
    }

    [Fact]
    public void ATierTheMachineLacksIsAClearError()
    {
        var ex = Assert.Throws<NotSupportedException>(() => SimdTiers.Require(SimdTier.V512, SimdTier.V256));
        Assert.Equal("SIMD tier 'avx512' is not available on this machine: it has " + SimdTiers.Describe(SimdTier.V256) +
                     " (tiers it can run: avx2, 128, scalar)", ex.Message);
        Assert.Equal(SimdTier.V128, SimdTiers.Require(SimdTier.V128, SimdTier.V256));
        Assert.Equal(SimdTier.V256, SimdTiers.Parse("AVX2", "--simd"));
        var bad = Assert.Throws<ArgumentException>(() => SimdTiers.Parse("avx3", "--simd"));
        Assert.Equal("--simd: unknown SIMD tier 'avx3'; expected one of avx512, avx2, 128, scalar", bad.Message);
    }

    private static void AssertClose(string what, double[] expected, float[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
