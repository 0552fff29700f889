using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ScratchNet.Kernels;
using ScratchNet.Kernels.Ilgpu;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// Compiles every ILGPU kernel to PTX for sm_90 without a GPU, so a kernel that CUDA would reject (an unsupported
/// .NET call, a missing intrinsic) fails here; plus a smoke test of the CPU-simulator backend.
/// </summary>
public sealed class PtxCompileTests
{
    public static TheoryData<string> KernelNames()
    {
        var data = new TheoryData<string>();
        foreach (var k in IlgpuKernelCatalog.All()) data.Add(k.Name);
        return data;
    }

    [Fact]
    public void CatalogueListsEveryKernelInBothDtypes()
    {
        var names = IlgpuKernelCatalog.All().Select(k => k.Name).ToList();
        Assert.Contains("GemmKernels.GemmTiled<float>", names);
        Assert.Contains("GemmKernels.GemmTiled<double>", names);
        Assert.Contains("Conv2dKernels.Conv2dForwardTiled<double>", names);
        Assert.Contains("BatchNorm2dKernels.BatchNormStatsGrouped<float>", names);
        Assert.Contains("ElementwiseKernels.FillInt", names);
        Assert.True(names.Count >= 70, $"only {names.Count} kernels in the catalogue");
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void KernelCompilesToPtxForSm90(string name)
    {
        var kernel = IlgpuKernelCatalog.All().Single(k => k.Name == name);
        using var context = Context.Create(b => b.CPU().Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90),
            CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        var entry = kernel.ExplicitlyGrouped
            ? EntryPointDescription.FromExplicitlyGroupedKernel(kernel.Method)
            : EntryPointDescription.FromImplicitlyGroupedKernel(kernel.Method);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, default);
        Assert.False(string.IsNullOrEmpty(compiled.PTXAssembly), $"{name}: empty PTX");
        Assert.Contains(".entry", compiled.PTXAssembly);
    }

    [Fact]
    public void CpuSimulatorGemmMatchesNaiveLoop()
    {
        using var backend = Backends.Create("ilgpu-cpu");
        Assert.Equal("ilgpu-cpu", backend.Name);
        const int m = 3, n = 5, k = 7;
        var rng = new Random(1);
        var a = Enumerable.Range(0, m * k).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        using var da = backend.Allocate(DType.Float64, a.Length);
        using var db = backend.Allocate(DType.Float64, b.Length + 3); // over-allocated on purpose
        using var dc = backend.Allocate(DType.Float64, m * n);
        backend.Upload<double>(a, da);
        backend.Upload<double>(b, db);
        backend.Fill(dc, m * n, double.NaN); // beta = 0 must ignore old contents
        backend.Gemm(false, false, m, n, k, 2.0, da, db, 0.0, dc);
        var c = new double[m * n];
        backend.Download<double>(dc, c);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double want = 0;
                for (int p = 0; p < k; p++) want += a[i * k + p] * b[p * n + j];
                Assert.Equal(2.0 * want, c[i * n + j], 1e-12);
            }
    }

    [Fact]
    public void CpuSimulatorGeluForwardMatchesNaiveLoop()
    {
        using var backend = Backends.Create("ilgpu-cpu");
        float[] x = [-4f, -1.5f, -0.3f, 0f, 0.2f, 1f, 2.5f, 6f, 0.7f];
        using var dx = backend.Allocate(DType.Float32, x.Length);
        using var dy = backend.Allocate(DType.Float32, x.Length);
        backend.Upload<float>(x, dx);
        backend.GeluForward(dx, dy, x.Length);
        var y = new float[x.Length];
        backend.Download<float>(dy, y);
        for (int i = 0; i < x.Length; i++)
        {
            double want = 0.5 * x[i] * (1 + Erf(x[i] / Math.Sqrt(2)));
            Assert.True(Math.Abs(y[i] - want) <= 1e-6 + 1e-5 * Math.Abs(want), $"gelu({x[i]}) = {y[i]}, want {want}");
        }
    }

    [Fact]
    public void TiledAndGroupedGpuKernelsMatchGridStrideKernelsOnTheSimulator()
    {
        // The GPU path (tiled GEMM, implicit-GEMM conv, group reductions) forced onto a 256-thread-group simulator,
        // compared in float64 with the grid-stride kernels that the per-op suite checks against naive loops.
        using var tiled = IlgpuBackend.CreateCpuSimulator(tiledCapable: true);
        using var simple = IlgpuBackend.CreateCpuSimulator(tiledCapable: false);
        Assert.True(tiled.UseTiledKernels && tiled.UseGroupedKernels);
        Assert.False(simple.UseTiledKernels);
        var rng = new Random(7);
        double[] Rand(long n) => Enumerable.Range(0, (int)n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();

        double[] Run(IBackend be, double[][] inputs, long outLen, Action<IBackend, DeviceBuffer[], DeviceBuffer> op)
        {
            var bufs = inputs.Select(v => { var b = be.Allocate(DType.Float64, v.Length + 3); be.Upload<double>(v, b); return b; }).ToArray();
            using var o = be.Allocate(DType.Float64, outLen + 3);
            be.Fill(o, outLen + 3, double.NaN);
            op(be, bufs, o);
            var r = new double[outLen];
            be.Download<double>(o, r);
            foreach (var b in bufs) b.Dispose();
            return r;
        }
        void Same(string what, double[][] inputs, long outLen, Action<IBackend, DeviceBuffer[], DeviceBuffer> op)
        {
            var want = Run(simple, inputs, outLen, op);
            var got = Run(tiled, inputs, outLen, op);
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(got[i] - want[i]) <= 1e-11 * (1 + Math.Abs(want[i])), $"{what}[{i}]: tiled {got[i]}, simple {want[i]}");
        }

        foreach (var (m, n, k) in new[] { (65, 70, 33), (3, 1, 17) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    Same($"gemm {m}x{n}x{k} {ta} {tb}", [Rand(m * k), Rand(k * n)], m * n,
                        (be, i, o) => be.Gemm(ta, tb, m, n, k, 1.5, i[0], i[1], 0, o));
        var cs = new Conv2dShape(2, 3, 9, 8, 5, 3, 3, 2, 1);
        Same("conv forward", [Rand(cs.InputSize), Rand(cs.WeightSize), Rand(cs.OutC)], cs.OutputSize,
            (be, i, o) => be.Conv2dForward(i[0], i[1], i[2], o, cs));
        Same("conv weight grad", [Rand(cs.InputSize), Rand(cs.OutputSize)], cs.WeightSize,
            (be, i, o) => be.Conv2dBackwardWeight(i[0], i[1], o, cs));
        Same("sum to scalar", [Rand(3 * 1 * 40 * 30)], 1,
            (be, i, o) => be.SumTo(i[0], [3, 1, 40, 30], o, [1, 1, 1, 1]));
        const int bn = 3, bc = 4, bhw = 37;
        Same("batch norm train", [Rand(bn * bc * bhw), Rand(bc), Rand(bc), Rand(bc), Rand(bc)], bn * bc * bhw + 4 * bc,
            (be, i, o) =>
            {
                be.Fill(i[4], bc, 1.0); // running variance
                using var y = be.Allocate(DType.Float64, bn * bc * bhw);
                using var stats = be.Allocate(DType.Float64, 2 * bc);
                using var mean = be.Allocate(DType.Float64, bc);
                using var inv = be.Allocate(DType.Float64, bc);
                be.BatchNormForwardTrain(i[0], i[1], i[2], y, mean, inv, i[3], i[4], bn, bc, bhw, 0.1, 1e-5);
                be.Copy(y, 0, o, 0, bn * bc * bhw);
                be.Copy(mean, 0, o, bn * bc * bhw, bc);
                be.Copy(inv, 0, o, bn * bc * bhw + bc, bc);
                be.Copy(i[3], 0, o, bn * bc * bhw + 2 * bc, bc);
                be.Copy(i[4], 0, o, bn * bc * bhw + 3 * bc, bc);
            });
        Same("batch norm backward", [Rand(bn * bc * bhw), Rand(bn * bc * bhw), Rand(bc), Rand(bc), Rand(bc)], bn * bc * bhw + 2 * bc,
            (be, i, o) =>
            {
                be.ClampMin(i[4], i[4], bc, 0.5); // invstd > 0
                using var dx = be.Allocate(DType.Float64, bn * bc * bhw);
                using var dg = be.Allocate(DType.Float64, bc);
                using var db = be.Allocate(DType.Float64, bc);
                be.BatchNormBackward(i[0], i[1], i[2], i[3], i[4], dx, dg, db, bn, bc, bhw);
                be.Copy(dx, 0, o, 0, bn * bc * bhw);
                be.Copy(dg, 0, o, bn * bc * bhw, bc);
                be.Copy(db, 0, o, bn * bc * bhw + bc, bc);
            });
    }

    // Reference erf by numeric integration (Simpson, 2000 intervals): independent of ScalarMath.Erf.
    private static double Erf(double x)
    {
        const int steps = 2000;
        double h = x / steps, sum = 0;
        for (int i = 0; i <= steps; i++)
        {
            double t = i * h, f = Math.Exp(-t * t);
            sum += (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return sum * h / 3 * 2 / Math.Sqrt(Math.PI);
    }
}
