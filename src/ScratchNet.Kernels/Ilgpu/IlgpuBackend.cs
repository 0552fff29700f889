using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// The ILGPU backend: hand-written kernels compiled by ILGPU to PTX (CUDA) or OpenCL C, or run on ILGPU's CPU
/// simulator for testing. Every op launches asynchronously on the accelerator's default stream; only
/// <see cref="Download{T}"/> and <see cref="Synchronize"/> wait.
/// </summary>
/// <remarks>
/// Two kernel variants exist where it matters. On GPUs: a shared-memory tiled GEMM with 4×4 register blocking,
/// implicit-GEMM convolutions (forward, weight gradient) on the same tiling, and group reductions for batch-norm
/// statistics and SumTo. On the CPU simulator, where barriers and shared memory are ~1000× slower: grid-stride
/// kernels, one thread per output, launched with one group per simulated multiprocessor.
/// </remarks>
public sealed class IlgpuBackend : IBackend
{
    /// <summary>Group size of the grid-stride kernels on GPUs.</summary>
    private const int GpuGroupSize = 256;

    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly bool _isGpu;
    private readonly Lazy<IlgpuFloatOps> _f32;
    private readonly Lazy<IlgpuFloatOps> _f64;
    private readonly Action<KernelConfig, ArrayView<int>, long, int> _fillInt;
    private bool _disposed;

    private IlgpuBackend(Context context, Accelerator accelerator, string name)
    {
        _context = context;
        _accelerator = accelerator;
        _isGpu = accelerator.AcceleratorType is AcceleratorType.Cuda or AcceleratorType.OpenCL;
        Name = name;
        long mib = accelerator.MemorySize / (1024 * 1024);
        Description = _isGpu
            ? $"{accelerator.Name} ({mib} MiB, {accelerator.NumMultiprocessors} multiprocessors, ILGPU {accelerator.AcceleratorType})"
            : $"ILGPU CPU simulator ({accelerator.NumMultiprocessors} multiprocessors × {accelerator.MaxNumThreadsPerGroup} threads; for testing kernels, not for training)";
        _fillInt = accelerator.LoadStreamKernel<ArrayView<int>, long, int>(ElementwiseKernels.FillInt);
        // Each dtype's kernels are compiled once, on first use of that dtype, and kept.
        _f32 = new Lazy<IlgpuFloatOps>(() => new IlgpuTypedOps<float, F32>(this, _accelerator));
        _f64 = new Lazy<IlgpuFloatOps>(() => new IlgpuTypedOps<double, F64>(this, _accelerator));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string Description { get; }

    /// <summary>
    /// Runs the tiled/grouped (GPU) kernels even on the CPU simulator, to test them there at tiny sizes. Needs a
    /// simulator made by <see cref="CreateCpuSimulator"/> with <c>tiledCapable: true</c> (256-thread groups).
    /// </summary>
    internal bool ForceTiledKernels
    {
        get => _forceTiled;
        set
        {
            if (value && !_isGpu && _accelerator.MaxNumThreadsPerGroup < GpuGroupSize)
                throw new InvalidOperationException(
                    $"the tiled kernels need {GpuGroupSize}-thread groups; this CPU simulator has {_accelerator.MaxNumThreadsPerGroup}. " +
                    "Create it with IlgpuBackend.CreateCpuSimulator(tiledCapable: true).");
            _forceTiled = value;
        }
    }
    private bool _forceTiled;

    internal bool UseTiledKernels => _isGpu || _forceTiled;
    internal bool UseGroupedKernels => _isGpu || _forceTiled;

    /// <summary>
    /// Creates the backend on the first device of <paramref name="kind"/>, or throws
    /// <see cref="DeviceNotAvailableException"/> naming the devices ILGPU did see.
    /// </summary>
    public static IlgpuBackend Create(IlgpuDeviceKind kind)
    {
        if (kind == IlgpuDeviceKind.CpuSimulator) return CreateCpuSimulator(tiledCapable: false);
        Context? context = null;
        try
        {
            context = CreateGpuContext();
            var type = kind == IlgpuDeviceKind.Cuda ? AcceleratorType.Cuda : AcceleratorType.OpenCL;
            var device = context.Devices.FirstOrDefault(d => d.AcceleratorType == type && IsGpu(d));
            if (device is null)
            {
                string seen = string.Join(", ", context.Devices.Select(d => $"{d.AcceleratorType} '{d.Name}'"));
                string what = kind == IlgpuDeviceKind.Cuda ? "CUDA GPU" : "OpenCL GPU";
                throw new DeviceNotAvailableException(
                    $"no {what} found: ILGPU saw devices: {(seen.Length == 0 ? "none" : seen)}; use --device cpu");
            }
            var backend = new IlgpuBackend(context, device.CreateAccelerator(context), kind == IlgpuDeviceKind.Cuda ? "cuda" : "opencl");
            context = null; // owned by the backend now
            return backend;
        }
        catch (DeviceNotAvailableException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new DeviceNotAvailableException($"could not start the {kind} device through ILGPU: {e.Message}; use --device cpu");
        }
        finally
        {
            context?.Dispose();
        }
    }

    /// <summary>A CUDA GPU backend, else an OpenCL GPU backend, else null. Never throws.</summary>
    public static IlgpuBackend? TryCreateGpu()
    {
        foreach (var kind in new[] { IlgpuDeviceKind.Cuda, IlgpuDeviceKind.OpenCL })
        {
            try
            {
                return Create(kind);
            }
            catch (Exception)
            {
                // Absent or unusable: try the next kind.
            }
        }
        return null;
    }

    /// <summary>
    /// The CPU simulator. By default 2 multiprocessors of 2 threads, so a grid-stride launch costs ~0.1 ms and runs
    /// at plain-C# speed. <paramref name="tiledCapable"/> gives 256-thread groups (8 warps of 32) so the GPU kernels
    /// (<see cref="ForceTiledKernels"/>) can run too, at ~50 ms a launch: for tests at tiny sizes only.
    /// </summary>
    internal static IlgpuBackend CreateCpuSimulator(bool tiledCapable)
    {
        var device = tiledCapable ? new CPUDevice(32, 8, 1) : new CPUDevice(2, 1, 2);
        var context = Context.Create(b => b.CPU(device).EnableAlgorithms());
        try
        {
            var backend = new IlgpuBackend(context, context.GetCPUDevice(0).CreateAccelerator(context), "ilgpu-cpu");
            if (tiledCapable) backend.ForceTiledKernels = true;
            return backend;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static Context CreateGpuContext() =>
        // EnableAlgorithms: without it PTX has no exp/log intrinsics and kernels fail to compile.
        Context.Create(b => b.Cuda().OpenCL().EnableAlgorithms());

    private static bool IsGpu(Device d) =>
        d.AcceleratorType == AcceleratorType.Cuda ||
        (d is CLDevice cl && cl.DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU);

    // ------------------------------------------------------------------ launch configurations

    /// <summary>
    /// A 1-D grid for a grid-stride kernel over <paramref name="work"/> items: on GPUs enough 256-thread groups to
    /// cover the work, capped at 16 per multiprocessor (the loop covers the rest); on the simulator one group per
    /// simulated multiprocessor.
    /// </summary>
    internal KernelConfig GridStrideConfig(long work)
    {
        if (!_isGpu) return new KernelConfig(_accelerator.NumMultiprocessors, _accelerator.MaxNumThreadsPerGroup);
        long groups = Math.Clamp((work + GpuGroupSize - 1) / GpuGroupSize, 1, (long)_accelerator.NumMultiprocessors * 16);
        return new KernelConfig((int)groups, GpuGroupSize);
    }

    /// <summary>The 2-D grid of the 64×64-tiled kernels: (⌈cols/64⌉, ⌈rows/64⌉) groups of 16×16 threads.</summary>
    internal KernelConfig TiledConfig(long cols, long rows)
    {
        const int tile = TileAccumulator<float>.BM;
        long gx = (cols + tile - 1) / tile, gy = (rows + tile - 1) / tile;
        if (gx > int.MaxValue || gy > 65535)
            throw new ArgumentException($"tiled launch too large: {rows}×{cols}");
        return new KernelConfig(new Index2D((int)gx, (int)gy), new Index2D(TileAccumulator<float>.Threads, TileAccumulator<float>.Threads));
    }

    /// <summary>One 256-thread group per item (channel, output element), at most 65535 groups (they stride over the rest).</summary>
    internal KernelConfig GroupPerItemConfig(long items) =>
        new((int)Math.Clamp(items, 1, 65535), ElementwiseKernels.ReduceGroupSize);

    // ------------------------------------------------------------------ helpers

    internal static IlgpuBuffer Own(DeviceBuffer b) =>
        b as IlgpuBuffer ?? throw new ArgumentException($"buffer belongs to backend '{b.Backend.Name}', not to an ILGPU backend");

    private IlgpuFloatOps Ops(DeviceBuffer first) => first.DType switch
    {
        DType.Float32 => _f32.Value,
        DType.Float64 => _f64.Value,
        _ => throw new ArgumentException($"this op needs a floating buffer (float32 or float64), got {first.DType.Name()}"),
    };

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    // ------------------------------------------------------------------ memory

    /// <inheritdoc/>
    public DeviceBuffer Allocate(DType dtype, long length)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new IlgpuBuffer(this, _accelerator, dtype, length);
    }

    /// <inheritdoc/>
    public unsafe void Upload<T>(ReadOnlySpan<T> src, DeviceBuffer dst) where T : unmanaged
    {
        var buf = Own(dst);
        if (src.Length > buf.Length)
            throw new ArgumentException($"upload of {src.Length} elements into a buffer of {buf.Length}");
        if (src.Length == 0) return;
        var view = buf.View<T>().SubView(0, src.Length);
        // ILGPU copies through a raw pointer: pin the host memory so the GC cannot move it mid-copy. The stream is in
        // order, so kernels launched before see the old contents and kernels after see the new.
        fixed (T* p = src)
            view.CopyFromCPU(ref *p, src.Length);
    }

    /// <inheritdoc/>
    public unsafe void Download<T>(DeviceBuffer src, Span<T> dst) where T : unmanaged
    {
        var buf = Own(src);
        if (dst.Length > buf.Length)
            throw new ArgumentException($"download of {dst.Length} elements from a buffer of {buf.Length}");
        _accelerator.Synchronize();
        if (dst.Length == 0) return;
        fixed (T* p = dst)
            buf.View<T>().SubView(0, dst.Length).CopyToCPU(ref *p, dst.Length);
        _accelerator.Synchronize();
    }

    /// <inheritdoc/>
    public void Copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count)
    {
        if (src.DType != dst.DType)
            throw new ArgumentException($"copy from {src.DType.Name()} to {dst.DType.Name()}: dtypes differ");
        if (count <= 0) return;
        if (srcOffset < 0 || dstOffset < 0 || srcOffset + count > src.Length || dstOffset + count > dst.Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"copy of {count} elements from offset {srcOffset} (of {src.Length}) to offset {dstOffset} (of {dst.Length})");
        switch (src.DType)
        {
            case DType.Float32: CopyTyped<float>(src, srcOffset, dst, dstOffset, count); break;
            case DType.Float64: CopyTyped<double>(src, srcOffset, dst, dstOffset, count); break;
            default: CopyTyped<int>(src, srcOffset, dst, dstOffset, count); break;
        }
    }

    private void CopyTyped<T>(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count) where T : unmanaged =>
        Own(src).View<T>().SubView(srcOffset, count).CopyTo(_accelerator.DefaultStream, Own(dst).View<T>().SubView(dstOffset, count));

    /// <inheritdoc/>
    public void Synchronize() => _accelerator.Synchronize();

    // ------------------------------------------------------------------ elementwise

    /// <inheritdoc/>
    public void Fill(DeviceBuffer y, long n, double value)
    {
        if (y.DType == DType.Int32)
        {
            if (n > 0) _fillInt(GridStrideConfig(n), Own(y).View<int>(), n, (int)value);
            return;
        }
        Ops(y).Fill(y, n, value);
    }

    /// <inheritdoc/>
    public void Scale(DeviceBuffer x, DeviceBuffer y, long n, double alpha) => Ops(x).Scale(x, y, n, alpha);

    /// <inheritdoc/>
    public void Axpy(DeviceBuffer x, DeviceBuffer y, long n, double alpha) => Ops(x).Axpy(x, y, n, alpha);

    /// <inheritdoc/>
    public void ClampMin(DeviceBuffer x, DeviceBuffer y, long n, double min) => Ops(x).ClampMin(x, y, n, min);

    /// <inheritdoc/>
    public void Binary(BinaryOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer output, Broadcast4 shape) =>
        Ops(a).Binary(op, a, b, output, shape);

    /// <inheritdoc/>
    public void SumTo(DeviceBuffer x, ReadOnlySpan<int> xDims, DeviceBuffer y, ReadOnlySpan<int> yDims)
    {
        if (xDims.Length != 4 || yDims.Length != 4)
            throw new ArgumentException($"SumTo takes padded 4-dim shapes, got ranks {xDims.Length} and {yDims.Length}");
        for (int d = 0; d < 4; d++)
            if (yDims[d] != xDims[d] && yDims[d] != 1)
                throw new ArgumentException($"SumTo: y dim {d} is {yDims[d]}, must be 1 or equal to x's {xDims[d]}");
        Ops(x).SumTo(x, new Dims4(xDims[0], xDims[1], xDims[2], xDims[3]), y, new Dims4(yDims[0], yDims[1], yDims[2], yDims[3]));
    }

    // ------------------------------------------------------------------ activations

    /// <inheritdoc/>
    public void ReluForward(DeviceBuffer x, DeviceBuffer y, long n) => Ops(x).ReluForward(x, y, n);
    /// <inheritdoc/>
    public void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n) => Ops(x).ReluBackward(x, dy, dx, n);
    /// <inheritdoc/>
    public void GeluForward(DeviceBuffer x, DeviceBuffer y, long n) => Ops(x).GeluForward(x, y, n);
    /// <inheritdoc/>
    public void GeluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n) => Ops(x).GeluBackward(x, dy, dx, n);
    /// <inheritdoc/>
    public void SigmoidForward(DeviceBuffer x, DeviceBuffer y, long n) => Ops(x).SigmoidForward(x, y, n);
    /// <inheritdoc/>
    public void SigmoidBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, long n) => Ops(y).SigmoidBackward(y, dy, dx, n);

    // ------------------------------------------------------------------ matmul, convolution

    /// <inheritdoc/>
    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, DeviceBuffer a, DeviceBuffer b, double beta, DeviceBuffer c) =>
        Ops(a).Gemm(transA, transB, m, n, k, alpha, a, b, beta, c);

    /// <inheritdoc/>
    public void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, Conv2dShape s) =>
        Ops(x).Conv2dForward(x, w, bias, y, s);

    /// <inheritdoc/>
    public void Conv2dBackwardInput(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, Conv2dShape s) =>
        Ops(dy).Conv2dBackwardInput(dy, w, dx, s);

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, Conv2dShape s) =>
        Ops(x).Conv2dBackwardWeight(x, dy, dw, s);

    // ------------------------------------------------------------------ batch norm

    /// <inheritdoc/>
    public void BatchNormForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        int n, int c, int hw, double momentum, double eps) =>
        Ops(x).BatchNormForwardTrain(x, gamma, beta, y, saveMean, saveInvStd, runningMean, runningVar, n, c, hw, momentum, eps);

    /// <inheritdoc/>
    public void BatchNormForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, int n, int c, int hw, double eps) =>
        Ops(x).BatchNormForwardEval(x, gamma, beta, runningMean, runningVar, y, n, c, hw, eps);

    /// <inheritdoc/>
    public void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma, DeviceBuffer saveMean,
        DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, int n, int c, int hw) =>
        Ops(x).BatchNormBackward(x, dy, gamma, saveMean, saveInvStd, dx, dgamma, dbeta, n, c, hw);

    // ------------------------------------------------------------------ pooling, concat, dropout

    /// <inheritdoc/>
    public void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer indices, Pool2dShape s) => Ops(x).MaxPool2dForward(x, y, indices, s);
    /// <inheritdoc/>
    public void MaxPool2dBackward(DeviceBuffer dy, DeviceBuffer indices, DeviceBuffer dx, Pool2dShape s) => Ops(dy).MaxPool2dBackward(dy, indices, dx, s);

    // ------------------------------------------------------------------ fused batch norm → activation → max pool

    /// <inheritdoc/>
    public void BatchNormActPoolForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, DeviceBuffer? indices,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        BatchNormActPoolShape s, double momentum, double eps) =>
        FusedOps(nameof(BatchNormActPoolForwardTrain), s, indices, [x, y], [gamma, beta, saveMean, saveInvStd, runningMean, runningVar])
            .BatchNormActPoolForwardTrain(x, gamma, beta, y, indices, saveMean, saveInvStd, runningMean, runningVar, s, momentum, eps);

    /// <inheritdoc/>
    public void BatchNormActPoolForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, BatchNormActPoolShape s, double eps) =>
        FusedOps(nameof(BatchNormActPoolForwardEval), s, null, [x, y], [gamma, beta, runningMean, runningVar], needsIndices: false)
            .BatchNormActPoolForwardEval(x, gamma, beta, runningMean, runningVar, y, s, eps);

    /// <inheritdoc/>
    public void BatchNormActPoolBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer? indices, DeviceBuffer gamma, DeviceBuffer beta,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, BatchNormActPoolShape s) =>
        FusedOps(nameof(BatchNormActPoolBackward), s, indices, [x, dy, dx], [gamma, beta, saveMean, saveInvStd, dgamma, dbeta])
            .BatchNormActPoolBackward(x, dy, indices, gamma, beta, saveMean, saveInvStd, dx, dgamma, dbeta, s);

    /// <summary>
    /// Checks the fused block's arguments before anything is launched (a bad index on a GPU corrupts memory silently):
    /// the geometry; one floating dtype for every float buffer; x/dx of N·C·H·W, y/dy of N·C·OH·OW and the
    /// per-channel buffers of C elements at least; an Int32 indices buffer of N·C·OH·OW when Pool &gt; 1 (Pool = 1
    /// accepts null). <paramref name="planes"/> are the [N, C, …] tensors in signature order — x, y (forward) or
    /// x, dy, dx (backward), so the second is the pooled one — and <paramref name="perChannel"/> the [C] buffers.
    /// </summary>
    private IlgpuFloatOps FusedOps(string op, BatchNormActPoolShape s, DeviceBuffer? indices, ReadOnlySpan<DeviceBuffer> planes,
        ReadOnlySpan<DeviceBuffer> perChannel, bool needsIndices = true)
    {
        s.Validate(op);
        var dtype = planes[0].DType;
        void Check(DeviceBuffer b, long need, string what)
        {
            Own(b);
            if (b.DType != dtype)
                throw new ArgumentException($"{op}: dtype mismatch, {dtype.Name()} and {b.DType.Name()} (all floating arguments must share one dtype)");
            if (b.Length < need)
                throw new ArgumentException($"{op}: {what} buffer has {b.Length} elements, needs {need} for {s}");
        }
        for (int k = 0; k < planes.Length; k++)
            Check(planes[k], k == 1 ? s.OutputSize : s.InputSize, k == 1 ? "output-sized" : "input-sized");
        foreach (var b in perChannel) Check(b, s.C, "per-channel");
        if (indices is not null)
        {
            Own(indices);
            if (indices.DType != DType.Int32) throw new ArgumentException($"{op}: indices must be int32, got {indices.DType.Name()}");
            if (indices.Length < s.OutputSize)
                throw new ArgumentException($"{op}: indices buffer has {indices.Length} elements, needs {s.OutputSize} for {s}");
        }
        else if (needsIndices && s.Pool > 1)
        {
            throw new ArgumentNullException(nameof(indices), $"{op}: pool window {s.Pool} needs an int32 indices buffer (only Pool = 1 may pass null)");
        }
        return Ops(planes[0]);
    }

    /// <inheritdoc/>
    public void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, Pool2dShape s) => Ops(x).AvgPool2dForward(x, y, s);
    /// <inheritdoc/>
    public void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, Pool2dShape s) => Ops(dy).AvgPool2dBackward(dy, dx, s);
    /// <inheritdoc/>
    public void GlobalAvgPoolForward(DeviceBuffer x, DeviceBuffer y, int rows, int hw) => Ops(x).GlobalAvgPoolForward(x, y, rows, hw);
    /// <inheritdoc/>
    public void GlobalAvgPoolBackward(DeviceBuffer dy, DeviceBuffer dx, int rows, int hw) => Ops(dy).GlobalAvgPoolBackward(dy, dx, rows, hw);

    /// <inheritdoc/>
    public void CopyChannels(DeviceBuffer src, int srcChannels, int srcC0, DeviceBuffer dst, int dstChannels, int dstC0, int n, int c, int hw) =>
        Ops(src).CopyChannels(src, srcChannels, srcC0, dst, dstChannels, dstC0, n, c, hw);

    /// <inheritdoc/>
    public void DropoutForward(DeviceBuffer x, DeviceBuffer mask, DeviceBuffer y, long n, double p, ulong seed) =>
        Ops(x).DropoutForward(x, mask, y, n, p, seed);

    // ------------------------------------------------------------------ losses

    /// <inheritdoc/>
    public void CrossEntropyForward(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer? classWeights,
        DeviceBuffer loss, DeviceBuffer sampleWeight, DeviceBuffer probs, int n, int c) =>
        Ops(logits).CrossEntropyForward(logits, targets, classWeights, loss, sampleWeight, probs, n, c);

    /// <inheritdoc/>
    public void CrossEntropyBackward(DeviceBuffer probs, DeviceBuffer targets, DeviceBuffer? classWeights,
        DeviceBuffer dloss, DeviceBuffer dlogits, int n, int c) =>
        Ops(probs).CrossEntropyBackward(probs, targets, classWeights, dloss, dlogits, n, c);

    /// <inheritdoc/>
    public void BceWithLogitsForward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer loss, long n) => Ops(z).BceWithLogitsForward(z, target, loss, n);
    /// <inheritdoc/>
    public void BceWithLogitsBackward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dz, long n) =>
        Ops(z).BceWithLogitsBackward(z, target, dloss, dz, n);
    /// <inheritdoc/>
    public void ArgMax(DeviceBuffer x, DeviceBuffer indices, int rows, int cols) => Ops(x).ArgMax(x, indices, rows, cols);
    /// <inheritdoc/>
    public void EqualMask(DeviceBuffer a, DeviceBuffer b, DeviceBuffer y, long n) => Ops(y).EqualMask(a, b, y, n);

    // ------------------------------------------------------------------ optimizers

    /// <inheritdoc/>
    public void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, long n,
        double lr, double beta1, double beta2, double eps, double weightDecay, double bc1, double bc2, bool decoupled) =>
        Ops(param).AdamStep(param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2, decoupled);

    /// <inheritdoc/>
    public void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer? momentumBuffer, long n,
        double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool firstStep) =>
        Ops(param).SgdStep(param, grad, momentumBuffer, n, lr, momentum, dampening, weightDecay, nesterov, firstStep);

    /// <summary>Waits for pending kernels, then frees the accelerator and the ILGPU context.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try { _accelerator.Synchronize(); } catch (Exception) { /* the device may already be gone */ }
        _accelerator.Dispose();
        _context.Dispose();
    }
}

/// <summary>Which ILGPU accelerator a backend runs on.</summary>
public enum IlgpuDeviceKind
{
    /// <summary>An NVIDIA GPU through CUDA (PTX).</summary>
    Cuda,
    /// <summary>An OpenCL GPU.</summary>
    OpenCL,
    /// <summary>ILGPU's multi-threaded CPU simulator: for testing the kernels, never for training.</summary>
    CpuSimulator,
}
