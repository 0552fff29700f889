using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// The CPU backend: hand-written SIMD C# kernels (<c>Vector512</c>/<c>Vector256</c>, FMA) spread over cores with
/// <see cref="Parallel"/>. PyTorch's twin is its native CPU backend (ATen/oneDNN). Buffers are pinned managed arrays
/// (<see cref="CpuBuffer"/>); every kernel runs synchronously, so <see cref="Synchronize"/> has nothing to wait for.
/// </summary>
/// <remarks>
/// This class only validates dtypes and dispatches: each layer's math lives in its own file
/// (<see cref="GemmKernels"/>, <see cref="Conv2dKernels"/>, <see cref="BatchNorm2dKernels"/>, …), written once,
/// generic over float/double, with float32 fast paths where float64 (gradient checks) need not be fast.
/// </remarks>
public sealed unsafe class CpuBackend : IBackend
{
    private readonly CpuParallel _par;
    private readonly SharedScratch<float> _partialsF = new();
    private readonly SharedScratch<double> _partialsD = new();
    // Batch norm's per-channel terms (and the fused block's pooled dz), and its per-plane sums.
    private readonly SharedScratch<float> _channelF = new();
    private readonly SharedScratch<double> _channelD = new();
    private readonly SharedScratch<double> _statSums = new();

    /// <summary>A backend using every core (<see cref="Environment.ProcessorCount"/> threads).</summary>
    public CpuBackend() : this(Environment.ProcessorCount) { }

    /// <summary>A backend using at most <paramref name="threads"/> threads (the max degree of parallelism).</summary>
    /// <summary>
    /// A backend using at most <paramref name="threads"/> threads and the width-generic kernels at
    /// <paramref name="tier"/> (default <see cref="SimdTiers.Default"/>: the machine's, unless <c>SCRATCHNET_SIMD</c>
    /// lowers it); a tier the machine lacks is a <see cref="NotSupportedException"/> naming what it has.
    /// </summary>
    public CpuBackend(int threads, SimdTier? tier = null)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "cpu: need at least one thread");
        _par = new CpuParallel(threads, tier);
    }

    /// <summary>Threads the kernels use.</summary>
    public int Threads => _par.Threads;

    /// <summary>The SIMD tier of the width-generic kernels.</summary>
    public SimdTier Tier => _par.Tier;

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <inheritdoc/>
    public string Description => $"CPU, {Environment.ProcessorCount} cores, {_par.Threads} threads, SIMD {SimdTiers.Describe(_par.Tier)}" +
        (_par.Tier < SimdTiers.Hardware ? $" (lowered from {SimdTiers.Name(SimdTiers.Hardware)})" : "");

    /// <inheritdoc/>
    public void Dispose() { }

    // ---------------------------------------------------------------- validation and pointers

    private static CpuBuffer Buf(string op, DeviceBuffer b) =>
        b as CpuBuffer ?? throw new ArgumentException($"{op}: buffer belongs to backend '{b.Backend.Name}', not cpu");

    private static T* P<T>(DeviceBuffer b) where T : unmanaged => ((CpuBuffer)b).Ptr<T>();
    private static T* Po<T>(DeviceBuffer? b) where T : unmanaged => b is null ? null : ((CpuBuffer)b).Ptr<T>();

    /// <summary>
    /// Checks that every floating argument is a cpu buffer of the same floating dtype (the first one's) and
    /// returns it; null entries (optional buffers) are skipped.
    /// </summary>
    private static DType Fp(string op, params ReadOnlySpan<DeviceBuffer?> bufs)
    {
        DType? dt = null;
        foreach (var b in bufs)
        {
            if (b is null) continue;
            Buf(op, b);
            if (dt is null)
            {
                if (!b.DType.IsFloating()) throw new ArgumentException($"{op}: expects float32 or float64 buffers, got {b.DType.Name()}");
                dt = b.DType;
            }
            else if (b.DType != dt)
                throw new ArgumentException($"{op}: dtype mismatch, {dt.Value.Name()} and {b.DType.Name()} (all floating arguments must share one dtype)");
        }
        return dt ?? throw new ArgumentException($"{op}: no floating buffer given");
    }

    private static void Int(string op, DeviceBuffer b)
    {
        Buf(op, b);
        if (b.DType != DType.Int32) throw new ArgumentException($"{op}: expects an int32 buffer, got {b.DType.Name()}");
    }

    // ---------------------------------------------------------------- memory

    /// <inheritdoc/>
    public DeviceBuffer Allocate(DType dtype, long length) => new CpuBuffer(this, dtype, length);

    /// <inheritdoc/>
    public void Upload<T>(ReadOnlySpan<T> src, DeviceBuffer dst) where T : unmanaged
    {
        var d = Buf(nameof(Upload), dst);
        if (DTypeExtensions.Of<T>() != dst.DType) throw new ArgumentException($"Upload: host data is {typeof(T).Name}, buffer is {dst.DType.Name()}");
        if (src.Length > dst.Length) throw new ArgumentException($"Upload: {src.Length} elements do not fit a buffer of {dst.Length}");
        src.CopyTo(d.AsSpan<T>());
    }

    /// <inheritdoc/>
    public void Download<T>(DeviceBuffer src, Span<T> dst) where T : unmanaged
    {
        var s = Buf(nameof(Download), src);
        if (DTypeExtensions.Of<T>() != src.DType) throw new ArgumentException($"Download: host span is {typeof(T).Name}, buffer is {src.DType.Name()}");
        if (dst.Length > src.Length) throw new ArgumentException($"Download: asked for {dst.Length} elements from a buffer of {src.Length}");
        s.AsSpan<T>()[..dst.Length].CopyTo(dst);
    }

    /// <inheritdoc/>
    public void Copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count)
    {
        Buf(nameof(Copy), src); Buf(nameof(Copy), dst);
        if (src.DType != dst.DType) throw new ArgumentException($"Copy: dtype mismatch, {src.DType.Name()} and {dst.DType.Name()}");
        if (count <= 0) return;
        int size = src.DType.SizeOf();
        byte* s = P<byte>(src) + srcOffset * size, d = P<byte>(dst) + dstOffset * size;
        Buffer.MemoryCopy(s, d, count * size, count * size); // memmove: overlapping ranges are fine
    }

    /// <inheritdoc/>
    public void Synchronize() { }

    // ---------------------------------------------------------------- elementwise

    /// <inheritdoc/>
    public void Fill(DeviceBuffer y, long n, double value)
    {
        Buf(nameof(Fill), y);
        switch (y.DType)
        {
            case DType.Float32: ElementwiseKernels.Fill(_par, P<float>(y), n, (float)value); break;
            case DType.Float64: ElementwiseKernels.Fill(_par, P<double>(y), n, value); break;
            default: ElementwiseKernels.Fill(_par, P<int>(y), n, (int)value); break;
        }
    }

    /// <inheritdoc/>
    public void Scale(DeviceBuffer x, DeviceBuffer y, long n, double alpha)
    {
        if (Fp(nameof(Scale), x, y) == DType.Float32) ElementwiseKernels.Scale(_par, P<float>(x), P<float>(y), n, (float)alpha);
        else ElementwiseKernels.Scale(_par, P<double>(x), P<double>(y), n, alpha);
    }

    /// <inheritdoc/>
    public void Axpy(DeviceBuffer x, DeviceBuffer y, long n, double alpha)
    {
        if (Fp(nameof(Axpy), x, y) == DType.Float32) ElementwiseKernels.Axpy(_par, P<float>(x), P<float>(y), n, (float)alpha);
        else ElementwiseKernels.Axpy(_par, P<double>(x), P<double>(y), n, alpha);
    }

    /// <inheritdoc/>
    public void ClampMin(DeviceBuffer x, DeviceBuffer y, long n, double min)
    {
        if (Fp(nameof(ClampMin), x, y) == DType.Float32) ElementwiseKernels.ClampMin(_par, P<float>(x), P<float>(y), n, (float)min);
        else ElementwiseKernels.ClampMin(_par, P<double>(x), P<double>(y), n, min);
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer output, Broadcast4 shape)
    {
        if (Fp(nameof(Binary), a, b, output) == DType.Float32) ElementwiseKernels.Binary(_par, op, P<float>(a), P<float>(b), P<float>(output), shape);
        else ElementwiseKernels.Binary(_par, op, P<double>(a), P<double>(b), P<double>(output), shape);
    }

    /// <inheritdoc/>
    public void SumTo(DeviceBuffer x, ReadOnlySpan<int> xDims, DeviceBuffer y, ReadOnlySpan<int> yDims)
    {
        if (Fp(nameof(SumTo), x, y) == DType.Float32) ElementwiseKernels.SumTo(_par, P<float>(x), xDims, P<float>(y), yDims);
        else ElementwiseKernels.SumTo(_par, P<double>(x), xDims, P<double>(y), yDims);
    }

    // ---------------------------------------------------------------- activations

    /// <inheritdoc/>
    public void ReluForward(DeviceBuffer x, DeviceBuffer y, long n)
    {
        if (Fp(nameof(ReluForward), x, y) == DType.Float32) ActivationKernels.ReluForward(_par, P<float>(x), P<float>(y), n);
        else ActivationKernels.ReluForward(_par, P<double>(x), P<double>(y), n);
    }

    /// <inheritdoc/>
    public void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n)
    {
        if (Fp(nameof(ReluBackward), x, dy, dx) == DType.Float32) ActivationKernels.ReluBackward(_par, P<float>(x), P<float>(dy), P<float>(dx), n);
        else ActivationKernels.ReluBackward(_par, P<double>(x), P<double>(dy), P<double>(dx), n);
    }

    /// <inheritdoc/>
    public void GeluForward(DeviceBuffer x, DeviceBuffer y, long n)
    {
        if (Fp(nameof(GeluForward), x, y) == DType.Float32) ActivationKernels.GeluForward(_par, P<float>(x), P<float>(y), n);
        else ActivationKernels.GeluForward(_par, P<double>(x), P<double>(y), n);
    }

    /// <inheritdoc/>
    public void GeluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n)
    {
        if (Fp(nameof(GeluBackward), x, dy, dx) == DType.Float32) ActivationKernels.GeluBackward(_par, P<float>(x), P<float>(dy), P<float>(dx), n);
        else ActivationKernels.GeluBackward(_par, P<double>(x), P<double>(dy), P<double>(dx), n);
    }

    /// <inheritdoc/>
    public void SigmoidForward(DeviceBuffer x, DeviceBuffer y, long n)
    {
        if (Fp(nameof(SigmoidForward), x, y) == DType.Float32) ActivationKernels.SigmoidForward(_par, P<float>(x), P<float>(y), n);
        else ActivationKernels.SigmoidForward(_par, P<double>(x), P<double>(y), n);
    }

    /// <inheritdoc/>
    public void SigmoidBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, long n)
    {
        if (Fp(nameof(SigmoidBackward), y, dy, dx) == DType.Float32) ActivationKernels.SigmoidBackward(_par, P<float>(y), P<float>(dy), P<float>(dx), n);
        else ActivationKernels.SigmoidBackward(_par, P<double>(y), P<double>(dy), P<double>(dx), n);
    }

    // ---------------------------------------------------------------- matmul

    /// <inheritdoc/>
    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, DeviceBuffer a, DeviceBuffer b, double beta, DeviceBuffer c)
    {
        long lda = transA ? m : k, ldb = transB ? k : n;
        if (Fp(nameof(Gemm), a, b, c) == DType.Float32)
            GemmKernels.Gemm(_par, true, transA, transB, m, n, k, (float)alpha, P<float>(a), lda, P<float>(b), ldb, (float)beta, P<float>(c), n);
        else
            GemmKernels.Gemm(_par, true, transA, transB, m, n, k, alpha, P<double>(a), lda, P<double>(b), ldb, beta, P<double>(c), n);
    }

    // ---------------------------------------------------------------- convolution

    /// <inheritdoc/>
    public void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, Conv2dShape s)
    {
        if (Fp(nameof(Conv2dForward), x, w, bias, y) == DType.Float32)
            Conv2dKernels.Forward(_par, P<float>(x), P<float>(w), Po<float>(bias), P<float>(y), s);
        else
            Conv2dKernels.Forward(_par, P<double>(x), P<double>(w), Po<double>(bias), P<double>(y), s);
    }

    /// <inheritdoc/>
    public void Conv2dBackwardInput(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, Conv2dShape s)
    {
        if (Fp(nameof(Conv2dBackwardInput), dy, w, dx) == DType.Float32)
            Conv2dKernels.BackwardInput(_par, P<float>(dy), P<float>(w), P<float>(dx), s);
        else
            Conv2dKernels.BackwardInput(_par, P<double>(dy), P<double>(w), P<double>(dx), s);
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, Conv2dShape s)
    {
        if (Fp(nameof(Conv2dBackwardWeight), x, dy, dw) == DType.Float32)
            Conv2dKernels.BackwardWeight(_par, _partialsF, P<float>(x), P<float>(dy), P<float>(dw), s);
        else
            Conv2dKernels.BackwardWeight(_par, _partialsD, P<double>(x), P<double>(dy), P<double>(dw), s);
    }

    // ---------------------------------------------------------------- batch norm

    /// <inheritdoc/>
    public void BatchNormForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, DeviceBuffer saveMean,
        DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar, int n, int c, int hw, double momentum, double eps)
    {
        if (Fp(nameof(BatchNormForwardTrain), x, gamma, beta, y, saveMean, saveInvStd, runningMean, runningVar) == DType.Float32)
            BatchNorm2dKernels.ForwardTrain(_par, P<float>(x), P<float>(gamma), P<float>(beta), P<float>(y), P<float>(saveMean),
                P<float>(saveInvStd), P<float>(runningMean), P<float>(runningVar), n, c, hw, momentum, eps, _channelF, _statSums);
        else
            BatchNorm2dKernels.ForwardTrain(_par, P<double>(x), P<double>(gamma), P<double>(beta), P<double>(y), P<double>(saveMean),
                P<double>(saveInvStd), P<double>(runningMean), P<double>(runningVar), n, c, hw, momentum, eps, _channelD, _statSums);
    }

    /// <inheritdoc/>
    public void BatchNormForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, int n, int c, int hw, double eps)
    {
        if (Fp(nameof(BatchNormForwardEval), x, gamma, beta, runningMean, runningVar, y) == DType.Float32)
            BatchNorm2dKernels.ForwardEval(_par, P<float>(x), P<float>(gamma), P<float>(beta), P<float>(runningMean), P<float>(runningVar),
                P<float>(y), n, c, hw, eps);
        else
            BatchNorm2dKernels.ForwardEval(_par, P<double>(x), P<double>(gamma), P<double>(beta), P<double>(runningMean), P<double>(runningVar),
                P<double>(y), n, c, hw, eps);
    }

    /// <inheritdoc/>
    public void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma, DeviceBuffer saveMean, DeviceBuffer saveInvStd,
        DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, int n, int c, int hw)
    {
        if (Fp(nameof(BatchNormBackward), x, dy, gamma, saveMean, saveInvStd, dx, dgamma, dbeta) == DType.Float32)
            BatchNorm2dKernels.Backward(_par, P<float>(x), P<float>(dy), P<float>(gamma), P<float>(saveMean), P<float>(saveInvStd),
                P<float>(dx), P<float>(dgamma), P<float>(dbeta), n, c, hw);
        else
            BatchNorm2dKernels.Backward(_par, P<double>(x), P<double>(dy), P<double>(gamma), P<double>(saveMean), P<double>(saveInvStd),
                P<double>(dx), P<double>(dgamma), P<double>(dbeta), n, c, hw);
    }

    // ---------------------------------------------------------------- pooling

    /// <inheritdoc/>
    public void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer indices, Pool2dShape s)
    {
        Int(nameof(MaxPool2dForward), indices);
        if (Fp(nameof(MaxPool2dForward), x, y) == DType.Float32) PoolingKernels.MaxForward(_par, P<float>(x), P<float>(y), P<int>(indices), s);
        else PoolingKernels.MaxForward(_par, P<double>(x), P<double>(y), P<int>(indices), s);
    }

    /// <inheritdoc/>
    public void MaxPool2dBackward(DeviceBuffer dy, DeviceBuffer indices, DeviceBuffer dx, Pool2dShape s)
    {
        Int(nameof(MaxPool2dBackward), indices);
        if (Fp(nameof(MaxPool2dBackward), dy, dx) == DType.Float32) PoolingKernels.MaxBackward(_par, P<float>(dy), P<int>(indices), P<float>(dx), s);
        else PoolingKernels.MaxBackward(_par, P<double>(dy), P<int>(indices), P<double>(dx), s);
    }

    /// <inheritdoc/>
    public void BatchNormActPoolForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, DeviceBuffer? indices,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        BatchNormActPoolShape s, double momentum, double eps)
    {
        int* idx = FusedIndices(nameof(BatchNormActPoolForwardTrain), indices, s);
        if (Fp(nameof(BatchNormActPoolForwardTrain), x, gamma, beta, y, saveMean, saveInvStd, runningMean, runningVar) == DType.Float32)
            BatchNormActPoolKernels.ForwardTrain(_par, P<float>(x), P<float>(gamma), P<float>(beta), P<float>(y), idx, P<float>(saveMean),
                P<float>(saveInvStd), P<float>(runningMean), P<float>(runningVar), s, momentum, eps, _channelF, _statSums);
        else
            BatchNormActPoolKernels.ForwardTrain(_par, P<double>(x), P<double>(gamma), P<double>(beta), P<double>(y), idx, P<double>(saveMean),
                P<double>(saveInvStd), P<double>(runningMean), P<double>(runningVar), s, momentum, eps, _channelD, _statSums);
    }

    /// <inheritdoc/>
    public void BatchNormActPoolForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, BatchNormActPoolShape s, double eps)
    {
        s.Validate(nameof(BatchNormActPoolForwardEval));
        if (Fp(nameof(BatchNormActPoolForwardEval), x, gamma, beta, runningMean, runningVar, y) == DType.Float32)
            BatchNormActPoolKernels.ForwardEval(_par, P<float>(x), P<float>(gamma), P<float>(beta), P<float>(runningMean), P<float>(runningVar),
                P<float>(y), s, eps, _channelF);
        else
            BatchNormActPoolKernels.ForwardEval(_par, P<double>(x), P<double>(gamma), P<double>(beta), P<double>(runningMean), P<double>(runningVar),
                P<double>(y), s, eps, _channelD);
    }

    /// <inheritdoc/>
    public void BatchNormActPoolBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer? indices, DeviceBuffer gamma, DeviceBuffer beta,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, BatchNormActPoolShape s)
    {
        int* idx = FusedIndices(nameof(BatchNormActPoolBackward), indices, s);
        if (Fp(nameof(BatchNormActPoolBackward), x, dy, gamma, beta, saveMean, saveInvStd, dx, dgamma, dbeta) == DType.Float32)
            BatchNormActPoolKernels.Backward(_par, P<float>(x), P<float>(dy), idx, P<float>(gamma), P<float>(beta), P<float>(saveMean),
                P<float>(saveInvStd), P<float>(dx), P<float>(dgamma), P<float>(dbeta), s, _channelF, _statSums);
        else
            BatchNormActPoolKernels.Backward(_par, P<double>(x), P<double>(dy), idx, P<double>(gamma), P<double>(beta), P<double>(saveMean),
                P<double>(saveInvStd), P<double>(dx), P<double>(dgamma), P<double>(dbeta), s, _channelD, _statSums);
    }

    /// <summary>The argmax buffer of a fused block: required (Int32) when it pools, ignored when it does not.</summary>
    private int* FusedIndices(string op, DeviceBuffer? indices, BatchNormActPoolShape s)
    {
        s.Validate(op);
        if (s.Pool == 1) return null;
        if (indices is null) throw new ArgumentException($"{op}: a pooling block (window {s.Pool}) needs an Int32 indices buffer");
        Int(op, indices);
        return P<int>(indices);
    }

    /// <inheritdoc/>
    public void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, Pool2dShape s)
    {
        if (Fp(nameof(AvgPool2dForward), x, y) == DType.Float32) PoolingKernels.AvgForward(_par, P<float>(x), P<float>(y), s);
        else PoolingKernels.AvgForward(_par, P<double>(x), P<double>(y), s);
    }

    /// <inheritdoc/>
    public void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, Pool2dShape s)
    {
        if (Fp(nameof(AvgPool2dBackward), dy, dx) == DType.Float32) PoolingKernels.AvgBackward(_par, P<float>(dy), P<float>(dx), s);
        else PoolingKernels.AvgBackward(_par, P<double>(dy), P<double>(dx), s);
    }

    /// <inheritdoc/>
    public void GlobalAvgPoolForward(DeviceBuffer x, DeviceBuffer y, int rows, int hw)
    {
        if (Fp(nameof(GlobalAvgPoolForward), x, y) == DType.Float32) PoolingKernels.GlobalAvgForward(_par, P<float>(x), P<float>(y), rows, hw);
        else PoolingKernels.GlobalAvgForward(_par, P<double>(x), P<double>(y), rows, hw);
    }

    /// <inheritdoc/>
    public void GlobalAvgPoolBackward(DeviceBuffer dy, DeviceBuffer dx, int rows, int hw)
    {
        if (Fp(nameof(GlobalAvgPoolBackward), dy, dx) == DType.Float32) PoolingKernels.GlobalAvgBackward(_par, P<float>(dy), P<float>(dx), rows, hw);
        else PoolingKernels.GlobalAvgBackward(_par, P<double>(dy), P<double>(dx), rows, hw);
    }

    // ---------------------------------------------------------------- concat / split

    /// <inheritdoc/>
    public void CopyChannels(DeviceBuffer src, int srcChannels, int srcC0, DeviceBuffer dst, int dstChannels, int dstC0, int n, int c, int hw)
    {
        Buf(nameof(CopyChannels), src); Buf(nameof(CopyChannels), dst);
        if (src.DType != dst.DType) throw new ArgumentException($"CopyChannels: dtype mismatch, {src.DType.Name()} and {dst.DType.Name()}");
        switch (src.DType)
        {
            case DType.Float32: ConcatKernels.CopyChannels(_par, P<float>(src), srcChannels, srcC0, P<float>(dst), dstChannels, dstC0, n, c, hw); break;
            case DType.Float64: ConcatKernels.CopyChannels(_par, P<double>(src), srcChannels, srcC0, P<double>(dst), dstChannels, dstC0, n, c, hw); break;
            default: ConcatKernels.CopyChannels(_par, P<int>(src), srcChannels, srcC0, P<int>(dst), dstChannels, dstC0, n, c, hw); break;
        }
    }

    // ---------------------------------------------------------------- dropout

    /// <inheritdoc/>
    public void DropoutForward(DeviceBuffer x, DeviceBuffer mask, DeviceBuffer y, long n, double p, ulong seed)
    {
        if (Fp(nameof(DropoutForward), x, mask, y) == DType.Float32) DropoutKernels.Forward(_par, P<float>(x), P<float>(mask), P<float>(y), n, p, seed);
        else DropoutKernels.Forward(_par, P<double>(x), P<double>(mask), P<double>(y), n, p, seed);
    }

    // ---------------------------------------------------------------- losses

    /// <inheritdoc/>
    public void CrossEntropyForward(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer? classWeights, DeviceBuffer loss,
        DeviceBuffer sampleWeight, DeviceBuffer probs, int n, int c)
    {
        Int(nameof(CrossEntropyForward), targets);
        if (Fp(nameof(CrossEntropyForward), logits, classWeights, loss, sampleWeight, probs) == DType.Float32)
            LossKernels.CrossEntropyForward(_par, P<float>(logits), P<int>(targets), Po<float>(classWeights), P<float>(loss),
                P<float>(sampleWeight), P<float>(probs), n, c);
        else
            LossKernels.CrossEntropyForward(_par, P<double>(logits), P<int>(targets), Po<double>(classWeights), P<double>(loss),
                P<double>(sampleWeight), P<double>(probs), n, c);
    }

    /// <inheritdoc/>
    public void CrossEntropyBackward(DeviceBuffer probs, DeviceBuffer targets, DeviceBuffer? classWeights, DeviceBuffer dloss,
        DeviceBuffer dlogits, int n, int c)
    {
        Int(nameof(CrossEntropyBackward), targets);
        if (Fp(nameof(CrossEntropyBackward), probs, classWeights, dloss, dlogits) == DType.Float32)
            LossKernels.CrossEntropyBackward(_par, P<float>(probs), P<int>(targets), Po<float>(classWeights), P<float>(dloss), P<float>(dlogits), n, c);
        else
            LossKernels.CrossEntropyBackward(_par, P<double>(probs), P<int>(targets), Po<double>(classWeights), P<double>(dloss), P<double>(dlogits), n, c);
    }

    /// <inheritdoc/>
    public void BceWithLogitsForward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer loss, long n)
    {
        if (Fp(nameof(BceWithLogitsForward), z, target, loss) == DType.Float32)
            LossKernels.BceWithLogitsForward(_par, P<float>(z), P<float>(target), P<float>(loss), n);
        else
            LossKernels.BceWithLogitsForward(_par, P<double>(z), P<double>(target), P<double>(loss), n);
    }

    /// <inheritdoc/>
    public void BceWithLogitsBackward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dz, long n)
    {
        if (Fp(nameof(BceWithLogitsBackward), z, target, dloss, dz) == DType.Float32)
            LossKernels.BceWithLogitsBackward(_par, P<float>(z), P<float>(target), P<float>(dloss), P<float>(dz), n);
        else
            LossKernels.BceWithLogitsBackward(_par, P<double>(z), P<double>(target), P<double>(dloss), P<double>(dz), n);
    }

    /// <inheritdoc/>
    public void ArgMax(DeviceBuffer x, DeviceBuffer indices, int rows, int cols)
    {
        Int(nameof(ArgMax), indices);
        if (Fp(nameof(ArgMax), x) == DType.Float32) LossKernels.ArgMax(_par, P<float>(x), P<int>(indices), rows, cols);
        else LossKernels.ArgMax(_par, P<double>(x), P<int>(indices), rows, cols);
    }

    /// <inheritdoc/>
    public void EqualMask(DeviceBuffer a, DeviceBuffer b, DeviceBuffer y, long n)
    {
        Int(nameof(EqualMask), a); Int(nameof(EqualMask), b);
        if (Fp(nameof(EqualMask), y) == DType.Float32) LossKernels.EqualMask(_par, P<int>(a), P<int>(b), P<float>(y), n);
        else LossKernels.EqualMask(_par, P<int>(a), P<int>(b), P<double>(y), n);
    }

    // ---------------------------------------------------------------- optimizers

    /// <inheritdoc/>
    public void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, long n, double lr, double beta1,
        double beta2, double eps, double weightDecay, double bc1, double bc2, bool decoupled)
    {
        if (Fp(nameof(AdamStep), param, grad, m, v) == DType.Float32)
            OptimizerKernels.Adam(_par, P<float>(param), P<float>(grad), P<float>(m), P<float>(v), n, lr, beta1, beta2, eps, weightDecay, bc1, bc2, decoupled);
        else
            OptimizerKernels.Adam(_par, P<double>(param), P<double>(grad), P<double>(m), P<double>(v), n, lr, beta1, beta2, eps, weightDecay, bc1, bc2, decoupled);
    }

    /// <inheritdoc/>
    public void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer? momentumBuffer, long n, double lr, double momentum,
        double dampening, double weightDecay, bool nesterov, bool firstStep)
    {
        if (momentum != 0.0 && momentumBuffer is null) throw new ArgumentException("SgdStep: momentum is non-zero but no momentum buffer was given");
        if (Fp(nameof(SgdStep), param, grad, momentumBuffer) == DType.Float32)
            OptimizerKernels.Sgd(_par, P<float>(param), P<float>(grad), Po<float>(momentumBuffer), n, lr, momentum, dampening, weightDecay, nesterov, firstStep);
        else
            OptimizerKernels.Sgd(_par, P<double>(param), P<double>(grad), Po<double>(momentumBuffer), n, lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }
}
