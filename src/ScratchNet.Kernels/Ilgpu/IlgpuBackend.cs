namespace ScratchNet.Kernels.Ilgpu;

/// <summary>Placeholder: being implemented.</summary>
public sealed class IlgpuBackend : IBackend
{
    public string Name => throw new NotImplementedException();
    public string Description => throw new NotImplementedException();
    public void Dispose() { }
    public static IlgpuBackend Create(IlgpuDeviceKind kind) => throw new NotImplementedException();
    public static IlgpuBackend? TryCreateGpu() => null;
    public DeviceBuffer Allocate(DType dtype, long length) => throw new NotImplementedException();
    public void Upload<T>(ReadOnlySpan<T> src, DeviceBuffer dst) where T : unmanaged => throw new NotImplementedException();
    public void Download<T>(DeviceBuffer src, Span<T> dst) where T : unmanaged => throw new NotImplementedException();
    public void Copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count) => throw new NotImplementedException();
    public void Synchronize() => throw new NotImplementedException();
    public void Fill(DeviceBuffer y, long n, double value) => throw new NotImplementedException();
    public void Scale(DeviceBuffer x, DeviceBuffer y, long n, double alpha) => throw new NotImplementedException();
    public void Axpy(DeviceBuffer x, DeviceBuffer y, long n, double alpha) => throw new NotImplementedException();
    public void ClampMin(DeviceBuffer x, DeviceBuffer y, long n, double min) => throw new NotImplementedException();
    public void Binary(BinaryOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer output, Broadcast4 shape) => throw new NotImplementedException();
    public void SumTo(DeviceBuffer x, ReadOnlySpan<int> xDims, DeviceBuffer y, ReadOnlySpan<int> yDims) => throw new NotImplementedException();
    public void ReluForward(DeviceBuffer x, DeviceBuffer y, long n) => throw new NotImplementedException();
    public void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n) => throw new NotImplementedException();
    public void GeluForward(DeviceBuffer x, DeviceBuffer y, long n) => throw new NotImplementedException();
    public void GeluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n) => throw new NotImplementedException();
    public void SigmoidForward(DeviceBuffer x, DeviceBuffer y, long n) => throw new NotImplementedException();
    public void SigmoidBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, long n) => throw new NotImplementedException();
    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, DeviceBuffer a, DeviceBuffer b, double beta, DeviceBuffer c) => throw new NotImplementedException();
    public void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, Conv2dShape s) => throw new NotImplementedException();
    public void Conv2dBackwardInput(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, Conv2dShape s) => throw new NotImplementedException();
    public void Conv2dBackwardWeight(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, Conv2dShape s) => throw new NotImplementedException();
    public void BatchNormForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar, int n, int c, int hw, double momentum, double eps) => throw new NotImplementedException();
    public void BatchNormForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y, int n, int c, int hw, double eps) => throw new NotImplementedException();
    public void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma, DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, int n, int c, int hw) => throw new NotImplementedException();
    public void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer indices, Pool2dShape s) => throw new NotImplementedException();
    public void MaxPool2dBackward(DeviceBuffer dy, DeviceBuffer indices, DeviceBuffer dx, Pool2dShape s) => throw new NotImplementedException();
    public void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, Pool2dShape s) => throw new NotImplementedException();
    public void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, Pool2dShape s) => throw new NotImplementedException();
    public void GlobalAvgPoolForward(DeviceBuffer x, DeviceBuffer y, int rows, int hw) => throw new NotImplementedException();
    public void GlobalAvgPoolBackward(DeviceBuffer dy, DeviceBuffer dx, int rows, int hw) => throw new NotImplementedException();
    public void CopyChannels(DeviceBuffer src, int srcChannels, int srcC0, DeviceBuffer dst, int dstChannels, int dstC0, int n, int c, int hw) => throw new NotImplementedException();
    public void DropoutForward(DeviceBuffer x, DeviceBuffer mask, DeviceBuffer y, long n, double p, ulong seed) => throw new NotImplementedException();
    public void CrossEntropyForward(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer? classWeights, DeviceBuffer loss, DeviceBuffer sampleWeight, DeviceBuffer probs, int n, int c) => throw new NotImplementedException();
    public void CrossEntropyBackward(DeviceBuffer probs, DeviceBuffer targets, DeviceBuffer? classWeights, DeviceBuffer dloss, DeviceBuffer dlogits, int n, int c) => throw new NotImplementedException();
    public void BceWithLogitsForward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer loss, long n) => throw new NotImplementedException();
    public void BceWithLogitsBackward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dz, long n) => throw new NotImplementedException();
    public void ArgMax(DeviceBuffer x, DeviceBuffer indices, int rows, int cols) => throw new NotImplementedException();
    public void EqualMask(DeviceBuffer a, DeviceBuffer b, DeviceBuffer y, long n) => throw new NotImplementedException();
    public void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, long n, double lr, double beta1, double beta2, double eps, double weightDecay, double bc1, double bc2, bool decoupled) => throw new NotImplementedException();
    public void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer? momentumBuffer, long n, double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool firstStep) => throw new NotImplementedException();
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
