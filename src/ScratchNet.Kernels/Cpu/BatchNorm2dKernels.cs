using System.Runtime.CompilerServices;
using System.Numerics;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Batch normalisation over x viewed as [N, C, HW], per channel c with m = N·HW values:
/// <c>μ = Σx/m</c>, <c>σ² = Σ(x−μ)²/m</c> (biased), <c>y = γ·(x−μ)/√(σ²+ε) + β</c>; the running variance takes the
/// unbiased <c>σ²·m/(m−1)</c>. Backward with x̂ = (x−μ)·invstd:
/// <c>dx = (γ·invstd/m)·(m·dy − Σdy − x̂·Σ(dy·x̂))</c>, <c>dγ = Σ dy·x̂</c>, <c>dβ = Σ dy</c>.
/// </summary>
/// <remarks>
/// Statistics are two-pass (mean first, then the sum of squared deviations) and accumulated in double, even for
/// float32: the one-pass Σx² − (Σx)²/m loses every digit when |μ| ≫ σ. Each channel is independent, so
/// channels are spread over threads. The normalisation itself is folded into one affine map per channel,
/// <c>y = a·(x−μ) + β</c> with a = γ·invstd (centred first, for precision); the backward likewise becomes
/// <c>dx = a·dy + b·(x−μ) + c</c> with per-channel a, b, c computed in double.
/// </remarks>
internal static unsafe class BatchNorm2dKernels
{
    public static void ForwardTrain<T>(CpuParallel par, T* x, T* gamma, T* beta, T* y, T* saveMean, T* saveInvStd,
        T* runningMean, T* runningVar, int n, int c, int hw, double momentum, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long m = (long)n * hw, cs = (long)c * hw;
        par.For(c, m * c >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ch) =>
        {
            double sum = 0;
            for (int b = 0; b < n; b++) sum += VectorOps.Sum(x + b * cs + (long)ch * hw, hw);
            double mean = sum / m;
            double ss = 0;
            for (int b = 0; b < n; b++) ss += VectorOps.SumSqDev(x + b * cs + (long)ch * hw, hw, mean);
            double var = ss / m;
            double invstd = 1.0 / Math.Sqrt(var + eps);
            double a = double.CreateTruncating(gamma[ch]) * invstd;
            for (int b = 0; b < n; b++)
            {
                long off = b * cs + (long)ch * hw;
                VectorOps.AffineCentered(x + off, y + off, hw, T.CreateTruncating(a), T.CreateTruncating(mean), beta[ch]);
            }
            saveMean[ch] = T.CreateTruncating(mean);
            saveInvStd[ch] = T.CreateTruncating(invstd);
            // Unbiased variance for the running estimate; with a single value (m = 1) it is undefined, so keep the
            // biased one (0) rather than divide by zero.
            double unbiased = m > 1 ? var * m / (m - 1) : var;
            T mom = T.CreateTruncating(momentum), keep = T.CreateTruncating(1.0 - momentum);
            runningMean[ch] = keep * runningMean[ch] + mom * T.CreateTruncating(mean);
            runningVar[ch] = keep * runningVar[ch] + mom * T.CreateTruncating(unbiased);
        });
    }

    public static void ForwardEval<T>(CpuParallel par, T* x, T* gamma, T* beta, T* runningMean, T* runningVar, T* y,
        int n, int c, int hw, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long cs = (long)c * hw;
        int rows = n * c;
        par.For(rows, (long)rows * hw >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r) =>
        {
            int ch = r % c;
            double invstd = 1.0 / Math.Sqrt(double.CreateTruncating(runningVar[ch]) + eps);
            double a = double.CreateTruncating(gamma[ch]) * invstd;
            double bb = double.CreateTruncating(beta[ch]) - double.CreateTruncating(runningMean[ch]) * a;
            long off = (long)r * hw;
            VectorOps.Affine(x + off, y + off, hw, T.CreateTruncating(a), T.CreateTruncating(bb));
        });
        _ = cs;
    }

    public static void Backward<T>(CpuParallel par, T* x, T* dy, T* gamma, T* saveMean, T* saveInvStd, T* dx, T* dgamma, T* dbeta,
        int n, int c, int hw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long m = (long)n * hw, cs = (long)c * hw;
        par.For(c, m * c >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ch) =>
        {
            double mean = double.CreateTruncating(saveMean[ch]);
            double invstd = double.CreateTruncating(saveInvStd[ch]);
            double sdy = 0, sdyxc = 0; // Σdy, Σdy·(x−μ)
            for (int b = 0; b < n; b++)
            {
                long off = b * cs + (long)ch * hw;
                VectorOps.SumAndSumProdDev(dy + off, x + off, hw, mean, out double sd, out double sp);
                sdy += sd; sdyxc += sp;
            }
            double sdyxhat = sdyxc * invstd;
            dgamma[ch] = T.CreateTruncating(sdyxhat);
            dbeta[ch] = T.CreateTruncating(sdy);
            // dx = g·invstd·dy − (x−μ)·g·invstd²·Σ(dy·x̂)/m − g·invstd·Σdy/m  =  a·dy + bx·(x−μ) + c0
            double g = double.CreateTruncating(gamma[ch]);
            double a = g * invstd;
            double bx = -g * invstd * invstd * sdyxhat / m;
            double c0 = -a * sdy / m;
            for (int b = 0; b < n; b++)
            {
                long off = b * cs + (long)ch * hw;
                VectorOps.Affine2Centered(dy + off, x + off, dx + off, hw, T.CreateTruncating(a), T.CreateTruncating(bx), saveMean[ch], T.CreateTruncating(c0));
            }
        });
    }
}
