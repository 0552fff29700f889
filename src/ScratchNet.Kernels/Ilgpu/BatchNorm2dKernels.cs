using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// BatchNorm2d on x viewed as [N, C, HW]. Each direction is a per-channel reduction followed by an elementwise
/// pass. The reductions come in two variants: one thread per channel looping over its N·HW values (the CPU
/// simulator), and one 256-thread group per channel with a shared-memory tree (GPUs, where C is far smaller
/// than the number of threads). Means and variances use two passes (mean first, then Σ(x − μ)²), which avoids
/// the cancellation of E[x²] − E[x]².
/// </summary>
internal static class BatchNorm2dKernels
{
    /// <summary>
    /// Training statistics, one thread per channel c: <c>μ = Σx/m</c>, <c>σ² = Σ(x − μ)²/m</c> (biased) over the
    /// m = N·HW values of channel c; writes μ and <c>1/√(σ² + eps)</c>, and updates
    /// <c>runningMean ← (1−mom)·runningMean + mom·μ</c>, <c>runningVar ← (1−mom)·runningVar + mom·σ²·m/(m−1)</c>.
    /// </summary>
    public static void BatchNormStats<T, R>(ArrayView<T> x, ArrayView<T> saveMean, ArrayView<T> saveInvStd,
        ArrayView<T> runningMean, ArrayView<T> runningVar, int n, int c, int hw, T momentum, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long ch = GridStride.Start(); ch < c; ch += step)
        {
            T sum = T.Zero;
            for (int b = 0; b < n; b++)
            {
                long row = ((long)b * c + ch) * hw;
                for (int k = 0; k < hw; k++) sum += x[row + k];
            }
            T mean = sum / Count<T, R>((long)n * hw);
            T sq = T.Zero;
            for (int b = 0; b < n; b++)
            {
                long row = ((long)b * c + ch) * hw;
                for (int k = 0; k < hw; k++) { T d = x[row + k] - mean; sq += d * d; }
            }
            WriteStats<T, R>(saveMean, saveInvStd, runningMean, runningVar, (int)ch, mean, sq, n, hw, momentum, eps);
        }
    }

    /// <summary>
    /// Same statistics as <see cref="BatchNormStats{T, R}"/> for GPUs: one group of 256 threads per channel
    /// (groups stride over channels), each thread summing a strided share, combined by a shared-memory tree.
    /// </summary>
    public static void BatchNormStatsGrouped<T, R>(ArrayView<T> x, ArrayView<T> saveMean, ArrayView<T> saveInvStd,
        ArrayView<T> runningMean, ArrayView<T> runningVar, int n, int c, int hw, T momentum, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        var scratch = SharedMemory.Allocate<T>(ElementwiseKernels.ReduceGroupSize);
        int tid = Group.IdxX;
        long m = (long)n * hw;
        for (int ch = Grid.IdxX; ch < c; ch += Grid.DimX)
        {
            T sum = T.Zero;
            for (long e = tid; e < m; e += ElementwiseKernels.ReduceGroupSize) sum += x[Offset(e, ch, c, hw)];
            T mean = GroupReduce.Sum(scratch, tid, sum) / Count<T, R>((long)n * hw);
            T sq = T.Zero;
            for (long e = tid; e < m; e += ElementwiseKernels.ReduceGroupSize) { T d = x[Offset(e, ch, c, hw)] - mean; sq += d * d; }
            sq = GroupReduce.Sum(scratch, tid, sq);
            if (tid == 0) WriteStats<T, R>(saveMean, saveInvStd, runningMean, runningVar, ch, mean, sq, n, hw, momentum, eps);
        }
    }

    /// <summary>
    /// Normalisation with saved statistics, one thread per element:
    /// <c>y[b,c,k] = γ[c]·(x[b,c,k] − μ[c])·invstd[c] + β[c]</c>.
    /// </summary>
    public static void BatchNormApply<T, R>(ArrayView<T> x, ArrayView<T> gamma, ArrayView<T> beta, ArrayView<T> mean,
        ArrayView<T> invStd, ArrayView<T> y, int n, int c, int hw)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long total = (long)n * c * hw;
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < total; i += step)
        {
            int ch = (int)((i / hw) % c);
            y[i] = gamma[ch] * (x[i] - mean[ch]) * invStd[ch] + beta[ch];
        }
    }

    /// <summary>Eval mode, one thread per element: <c>y = γ·(x − runningMean)/√(runningVar + eps) + β</c>.</summary>
    public static void BatchNormForwardEval<T, R>(ArrayView<T> x, ArrayView<T> gamma, ArrayView<T> beta, ArrayView<T> runningMean,
        ArrayView<T> runningVar, ArrayView<T> y, int n, int c, int hw, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long total = (long)n * c * hw;
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < total; i += step)
        {
            int ch = (int)((i / hw) % c);
            y[i] = gamma[ch] * (x[i] - runningMean[ch]) / T.Sqrt(runningVar[ch] + eps) + beta[ch];
        }
    }

    /// <summary>
    /// Backward reductions, one thread per channel: <c>dβ[c] = Σ dy</c>, <c>dγ[c] = Σ dy·x̂</c> with
    /// x̂ = (x − μ)·invstd, sums over N·HW.
    /// </summary>
    public static void BatchNormBackwardReduce<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<T> mean, ArrayView<T> invStd,
        ArrayView<T> dgamma, ArrayView<T> dbeta, int n, int c, int hw)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long ch = GridStride.Start(); ch < c; ch += step)
        {
            T mu = mean[ch], inv = invStd[ch];
            T sdy = T.Zero, sdyx = T.Zero;
            for (int b = 0; b < n; b++)
            {
                long row = ((long)b * c + ch) * hw;
                for (int k = 0; k < hw; k++)
                {
                    T g = dy[row + k];
                    sdy += g;
                    sdyx += g * (x[row + k] - mu) * inv;
                }
            }
            dbeta[ch] = sdy;
            dgamma[ch] = sdyx;
        }
    }

    /// <summary>The reductions of <see cref="BatchNormBackwardReduce{T, R}"/> for GPUs: one 256-thread group per channel.</summary>
    public static void BatchNormBackwardReduceGrouped<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<T> mean, ArrayView<T> invStd,
        ArrayView<T> dgamma, ArrayView<T> dbeta, int n, int c, int hw)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        var scratch = SharedMemory.Allocate<T>(ElementwiseKernels.ReduceGroupSize);
        int tid = Group.IdxX;
        long m = (long)n * hw;
        for (int ch = Grid.IdxX; ch < c; ch += Grid.DimX)
        {
            T mu = mean[ch], inv = invStd[ch];
            T sdy = T.Zero, sdyx = T.Zero;
            for (long e = tid; e < m; e += ElementwiseKernels.ReduceGroupSize)
            {
                long o = Offset(e, ch, c, hw);
                T g = dy[o];
                sdy += g;
                sdyx += g * (x[o] - mu) * inv;
            }
            sdy = GroupReduce.Sum(scratch, tid, sdy);
            sdyx = GroupReduce.Sum(scratch, tid, sdyx);
            if (tid == 0)
            {
                dbeta[ch] = sdy;
                dgamma[ch] = sdyx;
            }
        }
    }

    /// <summary>
    /// Input gradient, one thread per element, from the reduced sums:
    /// <c>dx = (γ·invstd/m)·(m·dy − Σdy − x̂·Σ(dy·x̂))</c>, with Σdy = dβ and Σ(dy·x̂) = dγ.
    /// </summary>
    public static void BatchNormBackwardInput<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<T> gamma, ArrayView<T> mean,
        ArrayView<T> invStd, ArrayView<T> dgamma, ArrayView<T> dbeta, ArrayView<T> dx, int n, int c, int hw)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long total = (long)n * c * hw;
        T m = Count<T, R>((long)n * hw);
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < total; i += step)
        {
            int ch = (int)((i / hw) % c);
            T inv = invStd[ch];
            T xhat = (x[i] - mean[ch]) * inv;
            dx[i] = gamma[ch] * inv / m * (m * dy[i] - dbeta[ch] - xhat * dgamma[ch]);
        }
    }

    /// <summary>Flat index of the e-th value (e over N·HW) of channel ch.</summary>
    internal static long Offset(long e, int ch, int c, int hw)
    {
        long b = e / hw;
        return (b * c + ch) * hw + (e - b * hw);
    }

    /// <summary>
    /// m = N·HW as T. Converted through the trait (<c>R.Of(double)</c>) because ILGPU cannot compile
    /// <c>T.CreateTruncating</c>; exact for any count below 2^24 in float32 and 2^53 in float64.
    /// </summary>
    internal static T Count<T, R>(long m) where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
        => default(R).Of(m);

    private static void WriteStats<T, R>(ArrayView<T> saveMean, ArrayView<T> saveInvStd, ArrayView<T> runningMean, ArrayView<T> runningVar,
        int ch, T mean, T sumSq, int n, int hw, T momentum, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long m = (long)n * hw;
        T var = sumSq / Count<T, R>(m);
        saveMean[ch] = mean;
        saveInvStd[ch] = T.One / T.Sqrt(var + eps);
        // Unbiased variance for the running estimate (PyTorch); a single value per channel has none, so keep σ².
        T unbiased = m > 1 ? sumSq / Count<T, R>(m - 1) : var;
        runningMean[ch] = (T.One - momentum) * runningMean[ch] + momentum * mean;
        runningVar[ch] = (T.One - momentum) * runningVar[ch] + momentum * unbiased;
    }
}
