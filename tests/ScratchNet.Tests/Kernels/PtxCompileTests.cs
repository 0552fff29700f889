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
