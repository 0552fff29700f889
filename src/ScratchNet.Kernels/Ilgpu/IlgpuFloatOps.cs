namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// The floating-point ops of <see cref="IBackend"/> for one dtype; <see cref="IlgpuBackend"/> picks the float32 or
/// float64 instance from the first floating argument and forwards. Implemented once, generically, by
/// <see cref="IlgpuTypedOps{T, R}"/>.
/// </summary>
internal abstract class IlgpuFloatOps
{
    public abstract void Fill(DeviceBuffer y, long n, double value);
    public abstract void Scale(DeviceBuffer x, DeviceBuffer y, long n, double alpha);
    public abstract void Axpy(DeviceBuffer x, DeviceBuffer y, long n, double alpha);
    public abstract void ClampMin(DeviceBuffer x, DeviceBuffer y, long n, double min);
    public abstract void Binary(BinaryOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer output, Broadcast4 shape);
    public abstract void SumTo(DeviceBuffer x, Dims4 xd, DeviceBuffer y, Dims4 yd);
    public abstract void ReluForward(DeviceBuffer x, DeviceBuffer y, long n);
    public abstract void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n);
    public abstract void GeluForward(DeviceBuffer x, DeviceBuffer y, long n);
    public abstract void GeluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n);
    public abstract void SigmoidForward(DeviceBuffer x, DeviceBuffer y, long n);
    public abstract void SigmoidBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, long n);
    public abstract void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, DeviceBuffer a, DeviceBuffer b, double beta, DeviceBuffer c);
    public abstract void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, Conv2dShape s);
    public abstract void Conv2dBackwardInput(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, Conv2dShape s);
    public abstract void Conv2dBackwardWeight(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, Conv2dShape s);
    public abstract void BatchNormForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        int n, int c, int hw, double momentum, double eps);
    public abstract void BatchNormForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, int n, int c, int hw, double eps);
    public abstract void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma, DeviceBuffer saveMean,
        DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, int n, int c, int hw);
    public abstract void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer indices, Pool2dShape s);
    public abstract void MaxPool2dBackward(DeviceBuffer dy, DeviceBuffer indices, DeviceBuffer dx, Pool2dShape s);
    public abstract void BatchNormActPoolForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, DeviceBuffer? indices,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        BatchNormActPoolShape s, double momentum, double eps);
    public abstract void BatchNormActPoolForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, BatchNormActPoolShape s, double eps);
    public abstract void BatchNormActPoolBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer? indices, DeviceBuffer gamma, DeviceBuffer beta,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, BatchNormActPoolShape s);
    public abstract void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, Pool2dShape s);
    public abstract void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, Pool2dShape s);
    public abstract void GlobalAvgPoolForward(DeviceBuffer x, DeviceBuffer y, int rows, int hw);
    public abstract void GlobalAvgPoolBackward(DeviceBuffer dy, DeviceBuffer dx, int rows, int hw);
    public abstract void CopyChannels(DeviceBuffer src, int srcChannels, int srcC0, DeviceBuffer dst, int dstChannels, int dstC0, int n, int c, int hw);
    public abstract void DropoutForward(DeviceBuffer x, DeviceBuffer mask, DeviceBuffer y, long n, double p, ulong seed);
    public abstract void CrossEntropyForward(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer? classWeights,
        DeviceBuffer loss, DeviceBuffer sampleWeight, DeviceBuffer probs, int n, int c);
    public abstract void CrossEntropyBackward(DeviceBuffer probs, DeviceBuffer targets, DeviceBuffer? classWeights,
        DeviceBuffer dloss, DeviceBuffer dlogits, int n, int c);
    public abstract void BceWithLogitsForward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer loss, long n);
    public abstract void BceWithLogitsBackward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dz, long n);
    public abstract void ArgMax(DeviceBuffer x, DeviceBuffer indices, int rows, int cols);
    public abstract void EqualMask(DeviceBuffer a, DeviceBuffer b, DeviceBuffer y, long n);
    public abstract void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, long n,
        double lr, double beta1, double beta2, double eps, double weightDecay, double bc1, double bc2, bool decoupled);
    public abstract void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer? momentumBuffer, long n,
        double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool firstStep);
}
