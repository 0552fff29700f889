using ScratchNet.Kernels;
using ScratchNet.Kernels.Cpu;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The CPU convolution has more than one route per direction (direct or im2col GEMM forward; GEMM + col2im or a
/// convolution of dy for the input gradient; direct, dW or dWᵀ GEMM for the weight gradient) and picks by shape, so the
/// backend tests only see the chosen one. Each route is forced here on shapes of both kinds and checked against the
/// reference loops.
/// </summary>
public unsafe class ConvRouteTests
{
    public static TheoryData<string> Shapes => new()
    {
        "n2 c16 h9 w20 o32 k3 s1 p1",
        "n1 c3 h7 w13 o16 k3 s1 p1",
        "n2 c8 h6 w17 o12 k3 s1 p0",
        "n2 c32 h5 w5 o64 k3 s1 p1",
        "n3 c5 h9 w37 o7 k2x3 s1 p0",
        "n2 c2 h12 w40 o16 k5 s1 p2",
        "n4 c16 h7 w7 o32 k3 s1 p1",
        "n2 c8 h5 w5 o16 k3 s1 p1",
    };

    [Theory, MemberData(nameof(Shapes))]
    public void EveryRouteMatchesTheReference(string spec)
    {
        var s = KernelCases.ParseConv(spec);
        var rng = new Random(KernelCases.Seed(spec));
        double[] Rand(long n) => Enumerable.Range(0, (int)n).Select(_ => Math.Round(rng.NextDouble() * 2 - 1, 3)).ToArray();
        var x = Rand(s.InputSize); var w = Rand(s.WeightSize); var b = Rand(s.OutC); var dy = Rand(s.OutputSize);
        float[] F(double[] a) => a.Select(v => (float)v).ToArray();
        float[] xf = F(x), wf = F(w), bf = F(b), dyf = F(dy);
        var par = new CpuParallel(2);
        var partials = new SharedScratch<float>();
        var tolFwd = 1e-5 * s.C * s.KH * s.KW;
        fixed (float* px = xf, pw = wf, pb = bf, pdy = dyf)
        {
            foreach (bool direct in new[] { false, true })
            {
                var y = new float[s.OutputSize];
                fixed (float* py = y) Conv2dKernels.Forward(par, px, pw, pb, py, s, direct);
                AssertClose($"forward (direct {direct}) {s}", R.Conv2dForward(x, w, b, s), y, tolFwd);
            }
            foreach (bool asConv in new[] { false, true })
            {
                var dx = new float[s.InputSize];
                fixed (float* pdx = dx) Conv2dKernels.BackwardInput(par, pdy, pw, pdx, s, asConv);
                AssertClose($"input gradient (as conv {asConv}) {s}", R.Conv2dBackwardInput(dy, w, s), dx, 1e-5 * s.OutC * s.KH * s.KW);
            }
            // The direct route exists only where its kernels can run (AVX-512 today); forcing it elsewhere would test
            // nothing but a PlatformNotSupportedException.
            var routes = new List<Conv2dKernels.WeightGradRoute> { Conv2dKernels.WeightGradRoute.Gemm, Conv2dKernels.WeightGradRoute.GemmTransposed };
            if (DirectConvKernels.IsAvailable) routes.Add(Conv2dKernels.WeightGradRoute.Direct);
            foreach (var route in routes)
            {
                var dw = new float[s.WeightSize];
                fixed (float* pdw = dw) Conv2dKernels.BackwardWeight(par, partials, px, pdy, pdw, s, route);
                AssertClose($"weight gradient ({route}) {s}", R.Conv2dBackwardWeight(x, dy, s), dw, 1e-5 * s.N * s.OH * s.OW);
            }
        }
    }

    private static void AssertClose(string what, double[] expected, float[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
