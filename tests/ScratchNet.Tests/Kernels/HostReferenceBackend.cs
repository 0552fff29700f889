using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// An <see cref="IBackend"/> on host arrays that calls <see cref="NaiveReference"/> for every op, storing Float32
/// buffers rounded to float. It is the suite's self-test: run the kernel tests with
/// <c>SCRATCHNET_TEST_BACKENDS=reference</c> and every test must pass, which proves the harness (uploads,
/// sentinels, spec parsing, tolerances, aliasing) is sound independently of the real backends.
/// </summary>
public sealed class HostReferenceBackend : IBackend
{
    private sealed class HostBuffer(IBackend backend, DType dtype, long length) : DeviceBuffer(backend, dtype, length)
    {
        public readonly double[] Data = new double[length];
        protected override void Release() { }
    }

    public string Name => "reference";
    public string Description => "host float64 reference (tests only)";
    public void Dispose() { }

    public DeviceBuffer Allocate(DType dtype, long length)
    {
        var b = new HostBuffer(this, dtype, length);
        Array.Fill(b.Data, double.NaN);
        return b;
    }

    private static HostBuffer H(DeviceBuffer b) => (HostBuffer)b;

    private static double[] Read(DeviceBuffer b, long n) => H(b).Data[..(int)n];

    private static int[] ReadInt(DeviceBuffer b, long n) => Read(b, n).Select(v => (int)v).ToArray();

    private static void Write(DeviceBuffer b, double[] v)
    {
        var d = H(b).Data;
        for (int i = 0; i < v.Length; i++)
            d[i] = b.DType switch { DType.Float32 => (float)v[i], DType.Int32 => (int)v[i], _ => v[i] };
    }

    public void Upload<T>(ReadOnlySpan<T> src, DeviceBuffer dst) where T : unmanaged
    {
        var d = H(dst).Data;
        for (int i = 0; i < src.Length; i++)
            d[i] = src[i] switch { float f => f, double x => x, int k => k, _ => throw new NotSupportedException() };
    }

    public void Download<T>(DeviceBuffer src, Span<T> dst) where T : unmanaged
    {
        var d = H(src).Data;
        for (int i = 0; i < dst.Length; i++)
        {
            if (typeof(T) == typeof(float)) dst[i] = (T)(object)(float)d[i];
            else if (typeof(T) == typeof(int)) dst[i] = (T)(object)(int)d[i];
            else dst[i] = (T)(object)d[i];
        }
    }

    public void Copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count) =>
        Array.Copy(H(src).Data, srcOffset, H(dst).Data, dstOffset, count);

    public void Synchronize() { }

    public void Fill(DeviceBuffer y, long n, double value) =>
        Write(y, Enumerable.Repeat(y.DType == DType.Int32 ? Math.Truncate(value) : value, (int)n).ToArray());

    public void Scale(DeviceBuffer x, DeviceBuffer y, long n, double alpha) => Write(y, R.Scale(Read(x, n), alpha));
    public void Axpy(DeviceBuffer x, DeviceBuffer y, long n, double alpha) => Write(y, R.Axpy(Read(x, n), Read(y, n), alpha));
    public void ClampMin(DeviceBuffer x, DeviceBuffer y, long n, double min) => Write(y, R.ClampMin(Read(x, n), min));

    public void Binary(BinaryOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer output, Broadcast4 s)
    {
        // Read through the strides the contract gives, so this also checks Broadcast4.Of as the tests use it.
        var r = new double[s.Count];
        var da = H(a).Data;
        var db = H(b).Data;
        long o = 0;
        for (int i0 = 0; i0 < s.D0; i0++)
        for (int i1 = 0; i1 < s.D1; i1++)
        for (int i2 = 0; i2 < s.D2; i2++)
        for (int i3 = 0; i3 < s.D3; i3++)
            r[o++] = R.Apply(op, da[i0 * s.A0 + i1 * s.A1 + i2 * s.A2 + i3 * s.A3], db[i0 * s.B0 + i1 * s.B1 + i2 * s.B2 + i3 * s.B3]);
        Write(output, r);
    }

    public void SumTo(DeviceBuffer x, ReadOnlySpan<int> xDims, DeviceBuffer y, ReadOnlySpan<int> yDims)
    {
        int[] xd = xDims.ToArray(), yd = yDims.ToArray();
        Write(y, R.SumTo(Read(x, xd.Aggregate(1L, (p, v) => p * v)), xd, yd));
    }

    public void ReluForward(DeviceBuffer x, DeviceBuffer y, long n) => Write(y, R.ReluForward(Read(x, n)));
    public void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n) => Write(dx, R.ReluBackward(Read(x, n), Read(dy, n)));
    public void GeluForward(DeviceBuffer x, DeviceBuffer y, long n) => Write(y, R.GeluForward(Read(x, n)));
    public void GeluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n) => Write(dx, R.GeluBackward(Read(x, n), Read(dy, n)));
    public void SigmoidForward(DeviceBuffer x, DeviceBuffer y, long n) => Write(y, R.SigmoidForward(Read(x, n)));
    public void SigmoidBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, long n) => Write(dx, R.SigmoidBackward(Read(y, n), Read(dy, n)));

    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, DeviceBuffer a, DeviceBuffer b, double beta, DeviceBuffer c) =>
        Write(c, R.Gemm(transA, transB, m, n, k, alpha, Read(a, (long)m * k), Read(b, (long)k * n), beta, Read(c, (long)m * n)));

    public void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, Conv2dShape s) =>
        Write(y, R.Conv2dForward(Read(x, s.InputSize), Read(w, s.WeightSize), bias is null ? null : Read(bias, s.OutC), s));

    public void Conv2dBackwardInput(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, Conv2dShape s) =>
        Write(dx, R.Conv2dBackwardInput(Read(dy, s.OutputSize), Read(w, s.WeightSize), s));

    public void Conv2dBackwardWeight(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, Conv2dShape s) =>
        Write(dw, R.Conv2dBackwardWeight(Read(x, s.InputSize), Read(dy, s.OutputSize), s));

    public void BatchNormForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, DeviceBuffer saveMean,
        DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar, int n, int c, int hw, double momentum, double eps)
    {
        var r = R.BatchNormForwardTrain(Read(x, (long)n * c * hw), Read(gamma, c), Read(beta, c), Read(runningMean, c), Read(runningVar, c), n, c, hw, momentum, eps);
        Write(y, r.Y); Write(saveMean, r.SaveMean); Write(saveInvStd, r.SaveInvStd); Write(runningMean, r.RunningMean); Write(runningVar, r.RunningVar);
    }

    public void BatchNormForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean, DeviceBuffer runningVar,
        DeviceBuffer y, int n, int c, int hw, double eps) =>
        Write(y, R.BatchNormForwardEval(Read(x, (long)n * c * hw), Read(gamma, c), Read(beta, c), Read(runningMean, c), Read(runningVar, c), n, c, hw, eps));

    public void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma, DeviceBuffer saveMean, DeviceBuffer saveInvStd,
        DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, int n, int c, int hw)
    {
        long len = (long)n * c * hw;
        var r = R.BatchNormBackward(Read(x, len), Read(dy, len), Read(gamma, c), Read(saveMean, c), Read(saveInvStd, c), n, c, hw);
        Write(dx, r.Dx); Write(dgamma, r.DGamma); Write(dbeta, r.DBeta);
    }

    public void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer indices, Pool2dShape s)
    {
        var (v, idx) = R.MaxPool2dForward(Read(x, s.InputSize), s);
        Write(y, v);
        Write(indices, idx.Select(i => (double)i).ToArray());
    }

    public void MaxPool2dBackward(DeviceBuffer dy, DeviceBuffer indices, DeviceBuffer dx, Pool2dShape s) =>
        Write(dx, R.MaxPool2dBackward(Read(dy, s.OutputSize), ReadInt(indices, s.OutputSize), s));

    public void BatchNormActPoolForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, DeviceBuffer? indices,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        BatchNormActPoolShape s, double momentum, double eps)
    {
        s.Validate(nameof(BatchNormActPoolForwardTrain));
        RequireIndices(nameof(BatchNormActPoolForwardTrain), indices, s);
        int c = s.C;
        var r = R.BatchNormActPoolForwardTrain(Read(x, s.InputSize), Read(gamma, c), Read(beta, c), Read(runningMean, c), Read(runningVar, c), s, momentum, eps);
        Write(y, r.Y); Write(saveMean, r.SaveMean); Write(saveInvStd, r.SaveInvStd); Write(runningMean, r.RunningMean); Write(runningVar, r.RunningVar);
        if (indices is not null) Write(indices, r.Indices.Select(i => (double)i).ToArray());
    }

    public void BatchNormActPoolForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, BatchNormActPoolShape s, double eps)
    {
        s.Validate(nameof(BatchNormActPoolForwardEval));
        int c = s.C;
        Write(y, R.BatchNormActPoolForwardEval(Read(x, s.InputSize), Read(gamma, c), Read(beta, c), Read(runningMean, c), Read(runningVar, c), s, eps));
    }

    public void BatchNormActPoolBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer? indices, DeviceBuffer gamma, DeviceBuffer beta,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, BatchNormActPoolShape s)
    {
        s.Validate(nameof(BatchNormActPoolBackward));
        RequireIndices(nameof(BatchNormActPoolBackward), indices, s);
        int c = s.C;
        var r = R.BatchNormActPoolBackward(Read(x, s.InputSize), Read(dy, s.OutputSize), s.Pool == 1 ? null : ReadInt(indices!, s.OutputSize),
            Read(gamma, c), Read(beta, c), Read(saveMean, c), Read(saveInvStd, c), s);
        Write(dx, r.Dx); Write(dgamma, r.DGamma); Write(dbeta, r.DBeta);
    }

    /// <summary>The contract lets only Pool = 1 go without an argmax buffer, and an argmax buffer is Int32.</summary>
    private static void RequireIndices(string op, DeviceBuffer? indices, BatchNormActPoolShape s)
    {
        if (indices is null && s.Pool > 1) throw new ArgumentNullException(nameof(indices), $"{op}: pool window {s.Pool} needs an int32 indices buffer");
        if (indices is not null && indices.DType != DType.Int32) throw new ArgumentException($"{op}: indices must be int32, got {indices.DType}");
    }

    public void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, Pool2dShape s) => Write(y, R.AvgPool2dForward(Read(x, s.InputSize), s));
    public void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, Pool2dShape s) => Write(dx, R.AvgPool2dBackward(Read(dy, s.OutputSize), s));
    public void GlobalAvgPoolForward(DeviceBuffer x, DeviceBuffer y, int rows, int hw) => Write(y, R.GlobalAvgPoolForward(Read(x, (long)rows * hw), rows, hw));
    public void GlobalAvgPoolBackward(DeviceBuffer dy, DeviceBuffer dx, int rows, int hw) => Write(dx, R.GlobalAvgPoolBackward(Read(dy, rows), rows, hw));

    public void CopyChannels(DeviceBuffer src, int srcChannels, int srcC0, DeviceBuffer dst, int dstChannels, int dstC0, int n, int c, int hw) =>
        Write(dst, R.CopyChannels(Read(src, (long)n * srcChannels * hw), srcChannels, srcC0, Read(dst, (long)n * dstChannels * hw), dstChannels, dstC0, n, c, hw));

    public void DropoutForward(DeviceBuffer x, DeviceBuffer mask, DeviceBuffer y, long n, double p, ulong seed)
    {
        var (m, v) = R.DropoutForward(Read(x, n), p, seed);
        Write(mask, m);
        Write(y, v);
    }

    public void CrossEntropyForward(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer? classWeights, DeviceBuffer loss,
        DeviceBuffer sampleWeight, DeviceBuffer probs, int n, int c)
    {
        var r = R.CrossEntropyForward(Read(logits, (long)n * c), ReadInt(targets, n), classWeights is null ? null : Read(classWeights, c), n, c);
        Write(loss, r.Loss); Write(sampleWeight, r.SampleWeight); Write(probs, r.Probs);
    }

    public void CrossEntropyBackward(DeviceBuffer probs, DeviceBuffer targets, DeviceBuffer? classWeights, DeviceBuffer dloss, DeviceBuffer dlogits, int n, int c) =>
        Write(dlogits, R.CrossEntropyBackward(Read(probs, (long)n * c), ReadInt(targets, n), classWeights is null ? null : Read(classWeights, c), Read(dloss, n), n, c));

    public void BceWithLogitsForward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer loss, long n) => Write(loss, R.BceWithLogitsForward(Read(z, n), Read(target, n)));
    public void BceWithLogitsBackward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dz, long n) =>
        Write(dz, R.BceWithLogitsBackward(Read(z, n), Read(target, n), Read(dloss, n)));

    public void ArgMax(DeviceBuffer x, DeviceBuffer indices, int rows, int cols) =>
        Write(indices, R.ArgMax(Read(x, (long)rows * cols), rows, cols).Select(i => (double)i).ToArray());

    public void EqualMask(DeviceBuffer a, DeviceBuffer b, DeviceBuffer y, long n) => Write(y, R.EqualMask(ReadInt(a, n), ReadInt(b, n)));

    public void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, long n, double lr, double beta1, double beta2,
        double eps, double weightDecay, double bc1, double bc2, bool decoupled)
    {
        var r = R.AdamStep(Read(param, n), Read(grad, n), Read(m, n), Read(v, n), lr, beta1, beta2, eps, weightDecay, bc1, bc2, decoupled);
        Write(param, r.Param); Write(m, r.M); Write(v, r.V);
    }

    public void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer? momentumBuffer, long n, double lr, double momentum,
        double dampening, double weightDecay, bool nesterov, bool firstStep)
    {
        var r = R.SgdStep(Read(param, n), Read(grad, n), momentumBuffer is null ? null : Read(momentumBuffer, n), lr, momentum, dampening, weightDecay, nesterov, firstStep);
        Write(param, r.Param);
        if (momentumBuffer is not null && r.MomentumBuffer is not null) Write(momentumBuffer, r.MomentumBuffer);
    }
}
