using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// The floating ops for one dtype T (float32 through <see cref="F32"/>, float64 through <see cref="F64"/>): every
/// kernel is loaded once in the constructor and kept as a delegate; each op converts its double scalars to T,
/// picks a launch configuration and launches asynchronously on the accelerator's default stream.
/// </summary>
internal sealed class IlgpuTypedOps<T, R> : IlgpuFloatOps
    where T : unmanaged, IFloatingPointIeee754<T>
    where R : struct, IReal<T>
{
    private readonly IlgpuBackend _be;

    private readonly Action<KernelConfig, ArrayView<T>, long, T> _fill;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, long, T> _scale, _axpy, _clampMin;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, Broadcast4, int> _binary;
    private readonly Action<KernelConfig, ArrayView<T>, Dims4, ArrayView<T>, Dims4> _sumTo, _sumToGrouped;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, long> _reluF, _geluF, _sigmoidF;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, long> _reluB, _geluB, _sigmoidB;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int, int, int, T, T> _gemmSimple, _gemmTiled;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, Conv2dShape, int> _convF, _convFTiled;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, Conv2dShape> _convBI, _convBW, _convBWTiled;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int, T, T> _bnStats, _bnStatsGrouped;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int> _bnApply;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int, T> _bnEval;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int> _bnReduce, _bnReduceGrouped;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int> _bnInput;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<int>, BatchNormActPoolShape, int> _bnapTrain;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, BatchNormActPoolShape, T> _bnapEval;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, BatchNormActPoolShape> _bnapReduce, _bnapReduceGrouped;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, BatchNormActPoolShape> _bnapInput;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<int>, Pool2dShape> _maxPoolF;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<int>, ArrayView<T>, Pool2dShape> _maxPoolB;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, Pool2dShape, T> _avgPoolF, _avgPoolB;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, int, int, T> _gapF, _gapB;
    private readonly Action<KernelConfig, ArrayView<T>, int, int, ArrayView<T>, int, int, int, int, int> _copyChannels;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, double, ulong, T> _dropout;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int> _ceF;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int> _ceB;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, long> _bceF;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long> _bceB;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<int>, int, int> _argMax;
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<int>, ArrayView<T>, long> _equalMask;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, T, T, T, T, T, T, T, T, int> _adam;
    private readonly Action<KernelConfig, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, T, T, T, T, int, int, int> _sgd;

    public IlgpuTypedOps(IlgpuBackend backend, Accelerator acc)
    {
        _be = backend;
        _fill = acc.LoadStreamKernel<ArrayView<T>, long, T>(ElementwiseKernels.Fill<T, R>);
        _scale = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, long, T>(ElementwiseKernels.Scale<T, R>);
        _axpy = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, long, T>(ElementwiseKernels.Axpy<T, R>);
        _clampMin = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, long, T>(ElementwiseKernels.ClampMin<T, R>);
        _binary = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, Broadcast4, int>(ElementwiseKernels.Binary<T, R>);
        _sumTo = acc.LoadStreamKernel<ArrayView<T>, Dims4, ArrayView<T>, Dims4>(ElementwiseKernels.SumTo<T, R>);
        _sumToGrouped = acc.LoadStreamKernel<ArrayView<T>, Dims4, ArrayView<T>, Dims4>(ElementwiseKernels.SumToGrouped<T, R>);
        _copyChannels = acc.LoadStreamKernel<ArrayView<T>, int, int, ArrayView<T>, int, int, int, int, int>(ElementwiseKernels.CopyChannels<T, R>);

        _reluF = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, long>(ActivationKernels.ReluForward<T, R>);
        _reluB = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long>(ActivationKernels.ReluBackward<T, R>);
        _geluF = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, long>(ActivationKernels.GeluForward<T, R>);
        _geluB = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long>(ActivationKernels.GeluBackward<T, R>);
        _sigmoidF = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, long>(ActivationKernels.SigmoidForward<T, R>);
        _sigmoidB = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long>(ActivationKernels.SigmoidBackward<T, R>);

        _gemmSimple = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int, int, int, T, T>(GemmKernels.GemmSimple<T, R>);
        _gemmTiled = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int, int, int, T, T>(GemmKernels.GemmTiled<T, R>);

        _convF = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, Conv2dShape, int>(Conv2dKernels.Conv2dForward<T, R>);
        _convFTiled = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, Conv2dShape, int>(Conv2dKernels.Conv2dForwardTiled<T, R>);
        _convBI = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, Conv2dShape>(Conv2dKernels.Conv2dBackwardInput<T, R>);
        _convBW = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, Conv2dShape>(Conv2dKernels.Conv2dBackwardWeight<T, R>);
        _convBWTiled = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, Conv2dShape>(Conv2dKernels.Conv2dBackwardWeightTiled<T, R>);

        _bnStats = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int, T, T>(BatchNorm2dKernels.BatchNormStats<T, R>);
        _bnStatsGrouped = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int, T, T>(BatchNorm2dKernels.BatchNormStatsGrouped<T, R>);
        _bnApply = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int>(BatchNorm2dKernels.BatchNormApply<T, R>);
        _bnEval = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int, T>(BatchNorm2dKernels.BatchNormForwardEval<T, R>);
        _bnReduce = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int>(BatchNorm2dKernels.BatchNormBackwardReduce<T, R>);
        _bnReduceGrouped = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int>(BatchNorm2dKernels.BatchNormBackwardReduceGrouped<T, R>);
        _bnInput = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int>(BatchNorm2dKernels.BatchNormBackwardInput<T, R>);

        _bnapTrain = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<int>, BatchNormActPoolShape, int>(
            BatchNormActPoolKernels.BatchNormActPoolForwardTrain<T, R>);
        _bnapEval = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, BatchNormActPoolShape, T>(
            BatchNormActPoolKernels.BatchNormActPoolForwardEval<T, R>);
        _bnapReduce = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, BatchNormActPoolShape>(
            BatchNormActPoolKernels.BatchNormActPoolBackwardReduce<T, R>);
        _bnapReduceGrouped = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, BatchNormActPoolShape>(
            BatchNormActPoolKernels.BatchNormActPoolBackwardReduceGrouped<T, R>);
        _bnapInput = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, BatchNormActPoolShape>(
            BatchNormActPoolKernels.BatchNormActPoolBackwardInput<T, R>);

        _maxPoolF = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<int>, Pool2dShape>(PoolingKernels.MaxPool2dForward<T, R>);
        _maxPoolB = acc.LoadStreamKernel<ArrayView<T>, ArrayView<int>, ArrayView<T>, Pool2dShape>(PoolingKernels.MaxPool2dBackward<T, R>);
        _avgPoolF = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, Pool2dShape, T>(PoolingKernels.AvgPool2dForward<T, R>);
        _avgPoolB = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, Pool2dShape, T>(PoolingKernels.AvgPool2dBackward<T, R>);
        _gapF = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, int, int, T>(PoolingKernels.GlobalAvgPoolForward<T, R>);
        _gapB = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, int, int, T>(PoolingKernels.GlobalAvgPoolBackward<T, R>);

        _dropout = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long, double, ulong, T>(DropoutKernels.DropoutForward<T, R>);

        _ceF = acc.LoadStreamKernel<ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int>(LossKernels.CrossEntropyForward<T, R>);
        _ceB = acc.LoadStreamKernel<ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, int, int>(LossKernels.CrossEntropyBackward<T, R>);
        _bceF = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long>(LossKernels.BceWithLogitsForward<T, R>);
        _bceB = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long>(LossKernels.BceWithLogitsBackward<T, R>);
        _argMax = acc.LoadStreamKernel<ArrayView<T>, ArrayView<int>, int, int>(LossKernels.ArgMax<T, R>);
        _equalMask = acc.LoadStreamKernel<ArrayView<int>, ArrayView<int>, ArrayView<T>, long>(LossKernels.EqualMask<T, R>);

        _adam = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, T, T, T, T, T, T, T, T, int>(OptimizerKernels.AdamStep<T, R>);
        _sgd = acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long, T, T, T, T, int, int, int>(OptimizerKernels.SgdStep<T, R>);
    }

    private static T S(double v) => default(R).Of(v);
    private static ArrayView<T> V(DeviceBuffer b) => IlgpuBackend.Own(b).View<T>();
    private static ArrayView<int> I(DeviceBuffer b) => IlgpuBackend.Own(b).View<int>();
    private KernelConfig Grid1(long work) => _be.GridStrideConfig(work);

    public override void Fill(DeviceBuffer y, long n, double value)
    {
        if (n > 0) _fill(Grid1(n), V(y), n, S(value));
    }

    public override void Scale(DeviceBuffer x, DeviceBuffer y, long n, double alpha)
    {
        if (n > 0) _scale(Grid1(n), V(x), V(y), n, S(alpha));
    }

    public override void Axpy(DeviceBuffer x, DeviceBuffer y, long n, double alpha)
    {
        if (n > 0) _axpy(Grid1(n), V(x), V(y), n, S(alpha));
    }

    public override void ClampMin(DeviceBuffer x, DeviceBuffer y, long n, double min)
    {
        if (n > 0) _clampMin(Grid1(n), V(x), V(y), n, S(min));
    }

    public override void Binary(BinaryOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer output, Broadcast4 shape)
    {
        if (shape.Count > 0) _binary(Grid1(shape.Count), V(a), V(b), V(output), shape, (int)op);
    }

    public override void SumTo(DeviceBuffer x, Dims4 xd, DeviceBuffer y, Dims4 yd)
    {
        long ny = yd.Count;
        if (ny <= 0) return;
        if (xd.Count == 0) { Fill(y, ny, 0); return; }
        long reduced = ElementwiseKernels.ReducedCount(xd, yd);
        // A group per output pays off when each output sums many values and there are few outputs.
        if (_be.UseGroupedKernels && reduced >= 1024 && ny <= 65536)
            _sumToGrouped(_be.GroupPerItemConfig(ny), V(x), xd, V(y), yd);
        else
            _sumTo(Grid1(ny), V(x), xd, V(y), yd);
    }

    public override void ReluForward(DeviceBuffer x, DeviceBuffer y, long n)
    {
        if (n > 0) _reluF(Grid1(n), V(x), V(y), n);
    }

    public override void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n)
    {
        if (n > 0) _reluB(Grid1(n), V(x), V(dy), V(dx), n);
    }

    public override void GeluForward(DeviceBuffer x, DeviceBuffer y, long n)
    {
        if (n > 0) _geluF(Grid1(n), V(x), V(y), n);
    }

    public override void GeluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n)
    {
        if (n > 0) _geluB(Grid1(n), V(x), V(dy), V(dx), n);
    }

    public override void SigmoidForward(DeviceBuffer x, DeviceBuffer y, long n)
    {
        if (n > 0) _sigmoidF(Grid1(n), V(x), V(y), n);
    }

    public override void SigmoidBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, long n)
    {
        if (n > 0) _sigmoidB(Grid1(n), V(y), V(dy), V(dx), n);
    }

    public override void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, DeviceBuffer a, DeviceBuffer b, double beta, DeviceBuffer c)
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            // op(A)·op(B) is all zeros: C = β·C (β = 0 overwrites, even NaNs).
            if (beta == 0) Fill(c, (long)m * n, 0);
            else Scale(c, c, (long)m * n, beta);
            return;
        }
        if (_be.UseTiledKernels)
            _gemmTiled(_be.TiledConfig(n, m), V(a), V(b), V(c), m, n, k, transA ? 1 : 0, transB ? 1 : 0, S(alpha), S(beta));
        else
            _gemmSimple(Grid1((long)m * n), V(a), V(b), V(c), m, n, k, transA ? 1 : 0, transB ? 1 : 0, S(alpha), S(beta));
    }

    public override void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, Conv2dShape s)
    {
        var yv = V(y);
        var bv = bias is null ? yv : V(bias);
        int hasBias = bias is null ? 0 : 1;
        if (_be.UseTiledKernels)
            _convFTiled(_be.TiledConfig((long)s.N * s.OH * s.OW, s.OutC), V(x), V(w), bv, yv, s, hasBias);
        else
            _convF(Grid1(s.OutputSize), V(x), V(w), bv, yv, s, hasBias);
    }

    public override void Conv2dBackwardInput(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, Conv2dShape s) =>
        _convBI(Grid1(s.InputSize), V(dy), V(w), V(dx), s);

    public override void Conv2dBackwardWeight(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, Conv2dShape s)
    {
        if (_be.UseTiledKernels)
            _convBWTiled(_be.TiledConfig((long)s.C * s.KH * s.KW, s.OutC), V(x), V(dy), V(dw), s);
        else
            _convBW(Grid1(s.WeightSize), V(x), V(dy), V(dw), s);
    }

    /// <summary>Batch norm's training statistics and running-stat update: one 256-thread group per channel on GPUs, one thread per channel otherwise.</summary>
    private void TrainStats(DeviceBuffer x, DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        int n, int c, int hw, double momentum, double eps)
    {
        if (_be.UseGroupedKernels)
            _bnStatsGrouped(_be.GroupPerItemConfig(c), V(x), V(saveMean), V(saveInvStd), V(runningMean), V(runningVar), n, c, hw, S(momentum), S(eps));
        else
            _bnStats(Grid1(c), V(x), V(saveMean), V(saveInvStd), V(runningMean), V(runningVar), n, c, hw, S(momentum), S(eps));
    }

    public override void BatchNormForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        int n, int c, int hw, double momentum, double eps)
    {
        if (c <= 0) return;
        TrainStats(x, saveMean, saveInvStd, runningMean, runningVar, n, c, hw, momentum, eps);
        long total = (long)n * c * hw;
        if (total > 0) _bnApply(Grid1(total), V(x), V(gamma), V(beta), V(saveMean), V(saveInvStd), V(y), n, c, hw);
    }

    public override void BatchNormForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, int n, int c, int hw, double eps)
    {
        long total = (long)n * c * hw;
        if (total > 0) _bnEval(Grid1(total), V(x), V(gamma), V(beta), V(runningMean), V(runningVar), V(y), n, c, hw, S(eps));
    }

    public override void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma, DeviceBuffer saveMean,
        DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, int n, int c, int hw)
    {
        if (c <= 0) return;
        if (_be.UseGroupedKernels)
            _bnReduceGrouped(_be.GroupPerItemConfig(c), V(x), V(dy), V(saveMean), V(saveInvStd), V(dgamma), V(dbeta), n, c, hw);
        else
            _bnReduce(Grid1(c), V(x), V(dy), V(saveMean), V(saveInvStd), V(dgamma), V(dbeta), n, c, hw);
        long total = (long)n * c * hw;
        if (total > 0) _bnInput(Grid1(total), V(x), V(dy), V(gamma), V(saveMean), V(saveInvStd), V(dgamma), V(dbeta), V(dx), n, c, hw);
    }

    public override void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer indices, Pool2dShape s) =>
        _maxPoolF(Grid1(s.OutputSize), V(x), V(y), I(indices), s);

    public override void MaxPool2dBackward(DeviceBuffer dy, DeviceBuffer indices, DeviceBuffer dx, Pool2dShape s) =>
        _maxPoolB(Grid1(s.InputSize), V(dy), I(indices), V(dx), s);

    public override void BatchNormActPoolForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, DeviceBuffer? indices,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        BatchNormActPoolShape s, double momentum, double eps)
    {
        // The statistics are batch norm's own (same kernels, hw = H·W), so saveMean/saveInvStd and the running
        // stats match BatchNormForwardTrain bit for bit; then one pass per output normalises, activates and pools.
        TrainStats(x, saveMean, saveInvStd, runningMean, runningVar, s.N, s.C, s.H * s.W, momentum, eps);
        _bnapTrain(Grid1(s.OutputSize), V(x), V(gamma), V(beta), V(saveMean), V(saveInvStd), V(y),
            indices is null ? ArrayView<int>.Empty : I(indices), s, indices is null ? 0 : 1);
    }

    public override void BatchNormActPoolForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, BatchNormActPoolShape s, double eps) =>
        _bnapEval(Grid1(s.OutputSize), V(x), V(gamma), V(beta), V(runningMean), V(runningVar), V(y), s, S(eps));

    public override void BatchNormActPoolBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer? indices, DeviceBuffer gamma, DeviceBuffer beta,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, BatchNormActPoolShape s)
    {
        // Pool = 1 reads no indices (the kernels test Pool before indexing), so an empty view stands in.
        var iv = indices is null ? ArrayView<int>.Empty : I(indices);
        if (_be.UseGroupedKernels)
            _bnapReduceGrouped(_be.GroupPerItemConfig(s.C), V(x), V(dy), iv, V(gamma), V(beta), V(saveMean), V(saveInvStd), V(dgamma), V(dbeta), s);
        else
            _bnapReduce(Grid1(s.C), V(x), V(dy), iv, V(gamma), V(beta), V(saveMean), V(saveInvStd), V(dgamma), V(dbeta), s);
        _bnapInput(Grid1(s.InputSize), V(x), V(dy), iv, V(gamma), V(beta), V(saveMean), V(saveInvStd), V(dgamma), V(dbeta), V(dx), s);
    }

    public override void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, Pool2dShape s) =>
        _avgPoolF(Grid1(s.OutputSize), V(x), V(y), s, S(1.0 / ((double)s.K * s.K)));

    public override void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, Pool2dShape s) =>
        _avgPoolB(Grid1(s.InputSize), V(dy), V(dx), s, S(1.0 / ((double)s.K * s.K)));

    public override void GlobalAvgPoolForward(DeviceBuffer x, DeviceBuffer y, int rows, int hw)
    {
        if (rows > 0) _gapF(Grid1(rows), V(x), V(y), rows, hw, S(1.0 / hw));
    }

    public override void GlobalAvgPoolBackward(DeviceBuffer dy, DeviceBuffer dx, int rows, int hw)
    {
        long total = (long)rows * hw;
        if (total > 0) _gapB(Grid1(total), V(dy), V(dx), rows, hw, S(1.0 / hw));
    }

    public override void CopyChannels(DeviceBuffer src, int srcChannels, int srcC0, DeviceBuffer dst, int dstChannels, int dstC0, int n, int c, int hw)
    {
        long total = (long)n * c * hw;
        if (total > 0) _copyChannels(Grid1(total), V(src), srcChannels, srcC0, V(dst), dstChannels, dstC0, n, c, hw);
    }

    public override void DropoutForward(DeviceBuffer x, DeviceBuffer mask, DeviceBuffer y, long n, double p, ulong seed)
    {
        // p = 1 drops everything (Keep is never true); scale 0 rather than ∞, as the CPU backend.
        if (n > 0) _dropout(Grid1(n), V(x), V(mask), V(y), n, p, seed, S(p < 1.0 ? 1.0 / (1.0 - p) : 0.0));
    }

    public override void CrossEntropyForward(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer? classWeights,
        DeviceBuffer loss, DeviceBuffer sampleWeight, DeviceBuffer probs, int n, int c)
    {
        if (n <= 0) return;
        var lv = V(loss);
        _ceF(Grid1(n), V(logits), I(targets), classWeights is null ? lv : V(classWeights), lv, V(sampleWeight), V(probs), n, c, classWeights is null ? 0 : 1);
    }

    public override void CrossEntropyBackward(DeviceBuffer probs, DeviceBuffer targets, DeviceBuffer? classWeights,
        DeviceBuffer dloss, DeviceBuffer dlogits, int n, int c)
    {
        long total = (long)n * c;
        if (total <= 0) return;
        var dl = V(dlogits);
        _ceB(Grid1(total), V(probs), I(targets), classWeights is null ? dl : V(classWeights), V(dloss), dl, n, c, classWeights is null ? 0 : 1);
    }

    public override void BceWithLogitsForward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer loss, long n)
    {
        if (n > 0) _bceF(Grid1(n), V(z), V(target), V(loss), n);
    }

    public override void BceWithLogitsBackward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dz, long n)
    {
        if (n > 0) _bceB(Grid1(n), V(z), V(target), V(dloss), V(dz), n);
    }

    public override void ArgMax(DeviceBuffer x, DeviceBuffer indices, int rows, int cols)
    {
        if (rows > 0 && cols > 0) _argMax(Grid1(rows), V(x), I(indices), rows, cols);
    }

    public override void EqualMask(DeviceBuffer a, DeviceBuffer b, DeviceBuffer y, long n)
    {
        if (n > 0) _equalMask(Grid1(n), I(a), I(b), V(y), n);
    }

    public override void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, long n,
        double lr, double beta1, double beta2, double eps, double weightDecay, double bc1, double bc2, bool decoupled)
    {
        if (n > 0)
            _adam(Grid1(n), V(param), V(grad), V(m), V(v), n, S(lr / bc1), S(beta1), S(beta2), S(1.0 - beta1), S(1.0 - beta2), S(eps),
                S(decoupled ? 1.0 - lr * weightDecay : weightDecay), S(1.0 / bc2), decoupled ? 1 : 0);
    }

    public override void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer? momentumBuffer, long n,
        double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool firstStep)
    {
        if (n <= 0) return;
        bool hasMomentum = momentum != 0;
        if (hasMomentum && momentumBuffer is null)
            throw new ArgumentNullException(nameof(momentumBuffer), "SGD with momentum needs a momentum buffer");
        var pv = V(param);
        _sgd(Grid1(n), pv, V(grad), hasMomentum ? V(momentumBuffer!) : pv, n, S(lr), S(momentum), S(dampening), S(weightDecay),
            nesterov ? 1 : 0, firstStep ? 1 : 0, hasMomentum ? 1 : 0);
    }
}
