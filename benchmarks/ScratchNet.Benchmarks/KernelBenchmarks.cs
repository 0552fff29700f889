using BenchmarkDotNet.Attributes;
using ScratchNet.Kernels;

namespace ScratchNet.Benchmarks;

/// <summary>Shared setup: a backend chosen by the <c>Device</c> parameter and random buffers.</summary>
public abstract class BackendBenchmark : IDisposable
{
    /// <summary>Backend name: cpu (default) or ilgpu-cpu / cuda where present.</summary>
    [Params("cpu")]
    public string Device { get; set; } = "cpu";

    /// <summary>The backend under test.</summary>
    protected IBackend Backend { get; private set; } = null!;

    /// <summary>Creates the backend.</summary>
    protected void Open() => Backend = Backends.Create(Device);

    /// <summary>A buffer of uniform random floats.</summary>
    protected DeviceBuffer Random(long n, int seed, float lo = -1, float hi = 1)
    {
        var rng = new Random(seed);
        var data = new float[n];
        for (long i = 0; i < n; i++) data[i] = lo + (hi - lo) * (float)rng.NextDouble();
        var b = Backend.Allocate(DType.Float32, n);
        Backend.Upload<float>(data, b);
        return b;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Backend?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>GEMM C = A·B at square sizes (GFLOP/s = 2·N³ / t).</summary>
public class GemmBenchmarks : BackendBenchmark, IWork
{
    /// <summary>M = N = K.</summary>
    [Params(256, 1024)]
    public int N { get; set; }

    private DeviceBuffer a = null!, b = null!, c = null!;

    /// <summary>Allocates the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Open();
        a = Random((long)N * N, 1); b = Random((long)N * N, 2); c = Random((long)N * N, 3);
    }

    /// <summary>C = A·B.</summary>
    [Benchmark]
    public void Gemm()
    {
        Backend.Gemm(false, false, N, N, N, 1, a, b, 0, c);
        Backend.Synchronize();
    }

    /// <inheritdoc/>
    public (double, string) Work(string method) => (2.0 * N * N * N, "GFLOP/s");
}

/// <summary>
/// Conv2d 3×3, padding 1, at the seed model's layer shapes (batch 16, 64×64 input):
/// layer 1 [16,3,64,64]→16, layer 2 [16,16,32,32]→32, layer 3 [16,32,16,16]→32, layer 4 [16,32,16,16]→64,
/// and the reference shape [16,32,64,64]→64. GFLOP/s = 2·N·OutC·OH·OW·C·9 / t for each of the three passes.
/// </summary>
public class Conv2dBenchmarks : BackendBenchmark, IWork
{
    /// <summary>"C,H,OutC" of the layer (batch 16, square H).</summary>
    [Params("3,64,16", "16,32,32", "32,16,32", "32,16,64", "32,64,64")]
    public string Layer { get; set; } = "32,64,64";

    private Conv2dShape s;
    private DeviceBuffer x = null!, w = null!, bias = null!, y = null!, dy = null!, dx = null!, dw = null!;

    /// <summary>Allocates the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Open();
        var p = Layer.Split(',').Select(int.Parse).ToArray();
        s = new Conv2dShape(16, p[0], p[1], p[1], p[2], 3, 3, 1, 1);
        x = Random(s.InputSize, 1); w = Random(s.WeightSize, 2); bias = Random(s.OutC, 3);
        y = Random(s.OutputSize, 4); dy = Random(s.OutputSize, 5); dx = Random(s.InputSize, 6); dw = Random(s.WeightSize, 7);
    }

    /// <summary>y = conv(x, w) + b.</summary>
    [Benchmark]
    public void Forward() { Backend.Conv2dForward(x, w, bias, y, s); Backend.Synchronize(); }

    /// <summary>dx from dy.</summary>
    [Benchmark]
    public void InputGrad() { Backend.Conv2dBackwardInput(dy, w, dx, s); Backend.Synchronize(); }

    /// <summary>dw from x and dy.</summary>
    [Benchmark]
    public void WeightGrad() { Backend.Conv2dBackwardWeight(x, dy, dw, s); Backend.Synchronize(); }

    /// <inheritdoc/>
    public (double, string) Work(string method)
    {
        var p = Layer.Split(',').Select(int.Parse).ToArray();
        return (2.0 * 16 * p[2] * p[1] * p[1] * p[0] * 9, "GFLOP/s");
    }
}

/// <summary>
/// Memory-bound layers on a [16, 32, 64, 64] activation (8 MiB in float32): batch-norm training
/// forward + backward, GELU forward, 2×2 max-pool forward, the fused BatchNorm2d → GELU → MaxPool2d block against
/// the same three ops run separately, and an Adam step over 1 M parameters.
/// GB/s counts the bytes each kernel must read and write at least once.
/// </summary>
public class ElementwiseBenchmarks : BackendBenchmark, IWork
{
    private const int N = 16, C = 32, H = 64;
    private const long Count = (long)N * C * H * H;
    private const long Params = 1 << 20;
    private DeviceBuffer x = null!, y = null!, dy = null!, dx = null!, gamma = null!, beta = null!, mean = null!, invstd = null!, rm = null!, rv = null!, dg = null!, db = null!;
    private DeviceBuffer pool = null!, idx = null!, p = null!, g = null!, m = null!, v = null!;

    /// <summary>Allocates the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Open();
        x = Random(Count, 1); y = Random(Count, 2); dy = Random(Count, 3); dx = Random(Count, 4);
        gamma = Random(C, 5); beta = Random(C, 6); mean = Random(C, 7); invstd = Random(C, 8, 0.5f, 1); rm = Random(C, 9); rv = Random(C, 10, 0.5f, 1);
        dg = Random(C, 11); db = Random(C, 12);
        pool = Random(Count / 4, 13); idx = Backend.Allocate(DType.Int32, Count / 4);
        p = Random(Params, 14); g = Random(Params, 15); m = Random(Params, 16, 0, 0.1f); v = Random(Params, 17, 0, 0.1f);
    }

    /// <summary>Batch-norm training forward then backward.</summary>
    [Benchmark]
    public void BatchNormTrain()
    {
        Backend.BatchNormForwardTrain(x, gamma, beta, y, mean, invstd, rm, rv, N, C, H * H, 0.1, 1e-5);
        Backend.BatchNormBackward(x, dy, gamma, mean, invstd, dx, dg, db, N, C, H * H);
        Backend.Synchronize();
    }

    /// <summary>Exact GELU forward.</summary>
    [Benchmark]
    public void Gelu() { Backend.GeluForward(x, y, Count); Backend.Synchronize(); }

    /// <summary>2×2 max-pool forward with argmax.</summary>
    [Benchmark]
    public void MaxPool() { Backend.MaxPool2dForward(x, pool, idx, new Pool2dShape(N, C, H, H, 2, 2, 0)); Backend.Synchronize(); }

    /// <summary>The fused BatchNorm2d → GELU → 2×2 MaxPool2d block, training forward then backward.</summary>
    [Benchmark]
    public void FusedBlockTrain()
    {
        var s = new BatchNormActPoolShape(N, C, H, H, 2, Activation.Gelu);
        Backend.BatchNormActPoolForwardTrain(x, gamma, beta, pool, idx, mean, invstd, rm, rv, s, 0.1, 1e-5);
        Backend.BatchNormActPoolBackward(x, pool, idx, gamma, beta, mean, invstd, dx, dg, db, s);
        Backend.Synchronize();
    }

    /// <summary>The same block as the three separate ops (forward and backward of each), for comparison.</summary>
    [Benchmark]
    public void UnfusedBlockTrain()
    {
        var ps = new Pool2dShape(N, C, H, H, 2, 2, 0);
        Backend.BatchNormForwardTrain(x, gamma, beta, y, mean, invstd, rm, rv, N, C, H * H, 0.1, 1e-5);
        Backend.GeluForward(y, dy, Count);
        Backend.MaxPool2dForward(dy, pool, idx, ps);
        Backend.MaxPool2dBackward(pool, idx, dx, ps);
        Backend.GeluBackward(y, dx, dy, Count);
        Backend.BatchNormBackward(x, dy, gamma, mean, invstd, dx, dg, db, N, C, H * H);
        Backend.Synchronize();
    }

    /// <summary>One Adam step.</summary>
    [Benchmark]
    public void AdamStep() { Backend.AdamStep(p, g, m, v, Params, 1e-4, 0.9, 0.999, 1e-8, 1e-5, 0.1, 0.001, false); Backend.Synchronize(); }

    /// <inheritdoc/>
    public (double, string) Work(string method) => method switch
    {
        // forward: read x twice (stats, normalise), write y; backward: read x, dy twice, write dx.
        nameof(BatchNormTrain) => (Count * 4.0 * 7, "GB/s"),
        nameof(Gelu) => (Count * 4.0 * 2, "GB/s"),
        nameof(MaxPool) => (Count * 4.0 + Count / 4 * 8.0, "GB/s"),
        nameof(AdamStep) => (Params * 4.0 * 7, "GB/s"),
        // Both block variants are rated by the fused one's minimum traffic (read x and write dx; pooled y, dy and
        // indices at a quarter size), so their rates compare directly.
        nameof(FusedBlockTrain) or nameof(UnfusedBlockTrain) => (Count * 4.0 * 2 + Count / 4 * 4.0 * 3, "GB/s"),
        _ => (0, "-"),
    };
}
