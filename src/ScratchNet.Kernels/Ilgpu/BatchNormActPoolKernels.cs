using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// The fused block BatchNorm2d → activation (ReLU or exact GELU) → MaxPool2d(Pool) on NCHW data, with
/// non-overlapping Pool×Pool windows (stride Pool, no padding, floor mode; Pool = 1 is no pooling). Neither the
/// normalised z nor the activated g is ever stored: the forward computes them in registers for the few inputs of
/// each window, and the backward recomputes z from x and the saved statistics. The training statistics come from
/// <see cref="BatchNorm2dKernels.BatchNormStats{T, R}"/> / <see cref="BatchNorm2dKernels.BatchNormStatsGrouped{T, R}"/>.
/// </summary>
/// <remarks>
/// z and g are computed with exactly the operations of the unfused kernels (<see cref="BatchNorm2dKernels.BatchNormApply{T, R}"/>,
/// <see cref="BatchNorm2dKernels.BatchNormForwardEval{T, R}"/>, <see cref="ActivationKernels"/>' helpers), so the fused
/// block and the three separate ops give the same bits and therefore the same argmax.
/// </remarks>
internal static class BatchNormActPoolKernels
{
    /// <summary>
    /// Training forward, one thread per output (n, c, i, j), after the statistics kernel has written μ and invstd:
    /// <c>z = γ·(x − μ)·invstd + β</c> and <c>g = act(z)</c> for the inputs (i·P + p, j·P + q), p, q &lt; P, and
    /// <c>y = max g</c> with <c>indices = h·W + w</c> of the first maximum in row-major window order (strict &gt;;
    /// the first element is taken unconditionally, so a NaN there stays, as in
    /// <see cref="PoolingKernels.MaxPool2dForward{T, R}"/>). <paramref name="writeIndices"/> = 0 when the caller
    /// passed no indices buffer (allowed for Pool = 1, where y = g and the index is the element itself).
    /// </summary>
    public static void BatchNormActPoolForwardTrain<T, R>(ArrayView<T> x, ArrayView<T> gamma, ArrayView<T> beta, ArrayView<T> mean,
        ArrayView<T> invStd, ArrayView<T> y, ArrayView<int> indices, BatchNormActPoolShape s, int writeIndices)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
        => Forward<T, R>(x, gamma, beta, mean, invStd, y, indices, s, writeIndices, 0, T.Zero);

    /// <summary>
    /// Eval forward, one thread per output: <c>z = γ·(x − runningMean)/√(runningVar + eps) + β</c> (the operations of
    /// <see cref="BatchNorm2dKernels.BatchNormForwardEval{T, R}"/>), <c>y = max over the window of act(z)</c>; no argmax kept.
    /// </summary>
    public static void BatchNormActPoolForwardEval<T, R>(ArrayView<T> x, ArrayView<T> gamma, ArrayView<T> beta, ArrayView<T> runningMean,
        ArrayView<T> runningVar, ArrayView<T> y, BatchNormActPoolShape s, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
        // No argmax in eval: writeIndices = 0, so the (empty) indices view is never touched.
        => Forward<T, R>(x, gamma, beta, runningMean, runningVar, y, default, s, 0, 1, eps);

    /// <summary>
    /// Backward reductions, one thread per channel c: <c>dβ[c] = Σ dz</c>, <c>dγ[c] = Σ dz·x̂</c>, x̂ = (x − μ)·invstd,
    /// where <c>dz = dg·act′(z)</c> and dg is dy routed to each window's argmax. dz is zero everywhere else, so the
    /// sums run over the N·OH·OW pooled outputs only: output o of plane (n, c) contributes at input
    /// k = indices[o] (Pool = 1: k = o, dg = dy).
    /// </summary>
    public static void BatchNormActPoolBackwardReduce<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<int> indices, ArrayView<T> gamma,
        ArrayView<T> beta, ArrayView<T> mean, ArrayView<T> invStd, ArrayView<T> dgamma, ArrayView<T> dbeta, BatchNormActPoolShape s)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int c = s.C, pool = s.Pool;
        long ohw = (long)s.OH * s.OW, hw = (long)s.H * s.W;
        long step = GridStride.Step();
        for (long ch = GridStride.Start(); ch < c; ch += step)
        {
            T g = gamma[ch], b = beta[ch], mu = mean[ch], inv = invStd[ch];
            T sdz = T.Zero, sdzx = T.Zero;
            for (int n = 0; n < s.N; n++)
            {
                long plane = (long)n * c + ch;
                for (long o = 0; o < ohw; o++)
                {
                    long k = pool > 1 ? indices[plane * ohw + o] : o;
                    T v = x[plane * hw + k];
                    T dz = dy[plane * ohw + o] * ActGrad<T, R>(g * (v - mu) * inv + b, s.Act);
                    sdz += dz;
                    sdzx += dz * (v - mu) * inv;
                }
            }
            dbeta[ch] = sdz;
            dgamma[ch] = sdzx;
        }
    }

    /// <summary>
    /// The reductions of <see cref="BatchNormActPoolBackwardReduce{T, R}"/> for GPUs: one 256-thread group per channel
    /// (groups stride over channels), each thread summing a strided share of the channel's N·OH·OW outputs,
    /// combined by a shared-memory tree.
    /// </summary>
    public static void BatchNormActPoolBackwardReduceGrouped<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<int> indices, ArrayView<T> gamma,
        ArrayView<T> beta, ArrayView<T> mean, ArrayView<T> invStd, ArrayView<T> dgamma, ArrayView<T> dbeta, BatchNormActPoolShape s)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        var scratch = SharedMemory.Allocate<T>(ElementwiseKernels.ReduceGroupSize);
        int tid = Group.IdxX;
        int c = s.C, pool = s.Pool;
        long ohw = (long)s.OH * s.OW, hw = (long)s.H * s.W;
        long outputs = s.N * ohw;
        for (int ch = Grid.IdxX; ch < c; ch += Grid.DimX)
        {
            T g = gamma[ch], b = beta[ch], mu = mean[ch], inv = invStd[ch];
            T sdz = T.Zero, sdzx = T.Zero;
            for (long e = tid; e < outputs; e += ElementwiseKernels.ReduceGroupSize)
            {
                long n = e / ohw, o = e - n * ohw;
                long plane = n * c + ch;
                long k = pool > 1 ? indices[plane * ohw + o] : o;
                T v = x[plane * hw + k];
                T dz = dy[plane * ohw + o] * ActGrad<T, R>(g * (v - mu) * inv + b, s.Act);
                sdz += dz;
                sdzx += dz * (v - mu) * inv;
            }
            sdz = GroupReduce.Sum(scratch, tid, sdz);
            sdzx = GroupReduce.Sum(scratch, tid, sdzx);
            if (tid == 0)
            {
                dbeta[ch] = sdz;
                dgamma[ch] = sdzx;
            }
        }
    }

    /// <summary>
    /// Input gradient, one thread per input element (n, c, h, w), from the reduced sums (Σdz = dβ, Σdz·x̂ = dγ):
    /// <c>dx = (γ·invstd/m)·(m·dz − Σdz − x̂·Σ(dz·x̂))</c>, m = N·H·W. Here dz = dy[window]·act′(z) when (h, w) lies in
    /// the pooled area (h &lt; OH·P, w &lt; OW·P) and is its window's recorded argmax, else 0 — so the rows and
    /// columns floor mode drops still get the batch-norm terms. Gathering one window per element (windows do not
    /// overlap) needs no atomics.
    /// </summary>
    public static void BatchNormActPoolBackwardInput<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<int> indices, ArrayView<T> gamma,
        ArrayView<T> beta, ArrayView<T> mean, ArrayView<T> invStd, ArrayView<T> dgamma, ArrayView<T> dbeta, ArrayView<T> dx,
        BatchNormActPoolShape s)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int c = s.C, h0 = s.H, w0 = s.W, pool = s.Pool, oh = s.OH, ow = s.OW;
        long total = (long)s.N * c * h0 * w0;
        T m = BatchNorm2dKernels.Count<T, R>((long)s.N * h0 * w0);
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            int w = (int)(idx % w0);
            long t = idx / w0;
            int h = (int)(t % h0);
            long plane = t / h0;
            int ch = (int)(plane % c);
            T g = gamma[ch], mu = mean[ch], inv = invStd[ch];
            T v = x[idx];
            T dz = T.Zero;
            int i = h / pool, j = w / pool;
            if (i < oh && j < ow)
            {
                long o = (plane * oh + i) * ow + j;
                // Pool = 1: every element is its own window (and there may be no indices buffer to read).
                if (pool == 1 || indices[o] == h * w0 + w)
                    dz = dy[o] * ActGrad<T, R>(g * (v - mu) * inv + beta[ch], s.Act);
            }
            T xhat = (v - mu) * inv;
            dx[idx] = g * inv / m * (m * dz - dbeta[ch] - xhat * dgamma[ch]);
        }
    }

    /// <summary>
    /// The forward shared by train (<paramref name="eval"/> = 0: <paramref name="scale"/> holds invstd, z = γ·(x − μ)·invstd + β)
    /// and eval (<paramref name="eval"/> = 1: <paramref name="scale"/> holds the running variance, z = γ·(x − μ)/√(var + eps) + β).
    /// The flag is uniform over the launch, so the branch costs nothing on a GPU.
    /// </summary>
    private static void Forward<T, R>(ArrayView<T> x, ArrayView<T> gamma, ArrayView<T> beta, ArrayView<T> mean, ArrayView<T> scale,
        ArrayView<T> y, ArrayView<int> indices, BatchNormActPoolShape s, int writeIndices, int eval, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int c = s.C, w0 = s.W, pool = s.Pool, oh = s.OH, ow = s.OW;
        long hw = (long)s.H * w0;
        long total = (long)s.N * c * oh * ow;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            int j = (int)(idx % ow);
            long t = idx / ow;
            int i = (int)(t % oh);
            long plane = t / oh;
            int ch = (int)(plane % c);
            T g = gamma[ch], b = beta[ch], mu = mean[ch];
            T sc = eval != 0 ? T.Sqrt(scale[ch] + eps) : scale[ch];
            long src = plane * hw;
            T best = T.Zero;
            int arg = -1;
            for (int p = 0; p < pool; p++)
            {
                int h = i * pool + p;
                for (int q = 0; q < pool; q++)
                {
                    int w = j * pool + q;
                    T v = x[src + h * w0 + w];
                    T z = eval != 0 ? g * (v - mu) / sc + b : g * (v - mu) * sc + b;
                    T a = Act<T, R>(z, s.Act);
                    // First maximum in row-major order wins: only a strictly greater value replaces it.
                    if (arg < 0 || a > best) { best = a; arg = h * w0 + w; }
                }
            }
            y[idx] = best;
            if (writeIndices != 0) indices[idx] = arg;
        }
    }

    /// <summary>g = act(z) through the same helpers as the standalone activation kernels.</summary>
    internal static T Act<T, R>(T z, Activation act) where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
        => act == Activation.Gelu ? ActivationKernels.Gelu<T, R>(z) : ActivationKernels.Relu(z);

    /// <summary>act′(z): ReLU <c>z &gt; 0 ? 1 : 0</c>, GELU <c>Φ(z) + z·φ(z)</c>.</summary>
    internal static T ActGrad<T, R>(T z, Activation act) where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
        => act == Activation.Gelu ? ActivationKernels.GeluGrad<T, R>(z) : ActivationKernels.ReluGrad(z);
}
