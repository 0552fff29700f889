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
/// Statistics are accumulated in double, even for float32, and never as Σx² − (Σx)²/m, which loses every digit
/// when |μ| ≫ σ: each plane's mean and squared deviations are combined pairwise (<see cref="TrainStats{T}"/>).
/// The normalisation itself is folded into one affine map per channel,
/// <c>y = a·(x−μ) + β</c> with a = γ·invstd (centred first, for precision); the backward likewise becomes
/// <c>dx = a·dy + b·(x−μ) + c</c> with per-channel a, b, c computed in double.
/// </remarks>
internal static unsafe class BatchNorm2dKernels
{
    public static void ForwardTrain<T>(CpuParallel par, T* x, T* gamma, T* beta, T* y, T* saveMean, T* saveInvStd,
        T* runningMean, T* runningVar, int n, int c, int hw, double momentum, double eps, SharedScratch<T> perChannel, SharedScratch<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var terms = perChannel.Rent(2L * c);
        T* scale = SharedScratch<T>.Ptr(terms), mu = scale + c;
        TrainTerms(par, x, gamma, saveMean, saveInvStd, runningMean, runningVar, n, c, hw, momentum, eps, sums, scale, mu);
        par.For(n * c, (long)n * c * hw >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            int ch = pl % c;
            long off = (long)pl * hw;
            VectorOps.AffineCentered(x + off, y + off, hw, scale[ch], mu[ch], beta[ch]);
        });
        perChannel.Return(terms);
    }

    /// <summary>
    /// Training mode's statistics (<see cref="TrainStats{T}"/>, <see cref="SaveStats{T}"/>) and the per-channel terms of
    /// <c>y = scale·(x − μ) + β</c>: <paramref name="scale"/> = γ·invstd, rounded once from double, and
    /// <paramref name="mu"/> = μ, each [C]. Shared by the plain and the fused (<see cref="BatchNormActPoolKernels"/>)
    /// forward, which therefore normalise to the same bits.
    /// </summary>
    internal static void TrainTerms<T>(CpuParallel par, T* x, T* gamma, T* saveMean, T* saveInvStd, T* runningMean, T* runningVar,
        int n, int c, int hw, double momentum, double eps, SharedScratch<double> sums, T* scale, T* mu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var array = sums.Rent(2L * n * c + 2L * c);
        double* mean = SharedScratch<double>.Ptr(array), var = mean + c;
        TrainStats(par, x, n, c, hw, mean, var, var + c);
        for (int ch = 0; ch < c; ch++)
        {
            double invstd = SaveStats(ch, mean[ch], var[ch], (long)n * hw, momentum, eps, saveMean, saveInvStd, runningMean, runningVar);
            scale[ch] = T.CreateTruncating(double.CreateTruncating(gamma[ch]) * invstd);
            mu[ch] = T.CreateTruncating(mean[ch]);
        }
        sums.Return(array);
    }

    /// <summary>
    /// Per-channel batch mean and biased variance of x [N, C, HW] into <paramref name="mean"/>[c], <paramref name="var"/>[c]
    /// (<paramref name="planeStats"/>: room for 2·N·C doubles). Each (n, c) plane is read once from memory — its mean,
    /// then Σ(x − mean_p)² while the plane is still in cache — and the planes of a channel are combined in image order
    /// with Chan et al.'s pairwise update (<c>δ = mean_b − mean_a</c>, <c>M2 = M2_a + M2_b + δ²·n_a·n_b/(n_a + n_b)</c>).
    /// That is as precise as the two-pass formula over the whole channel (no E[x²] − E[x]² cancellation), reads x
    /// once instead of twice, spreads over planes rather than channels, and does not depend on the thread count.
    /// All in double.
    /// </summary>
    internal static void TrainStats<T>(CpuParallel par, T* x, int n, int c, int hw, double* mean, double* var, double* planeStats)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        par.For(n * c, (long)n * c * hw >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            T* xp = x + (long)pl * hw;
            double m = VectorOps.Sum(xp, hw) / hw;
            planeStats[2 * pl] = m;
            planeStats[2 * pl + 1] = VectorOps.SumSqDev(xp, hw, m);
        });
        for (int ch = 0; ch < c; ch++)
        {
            double mu = planeStats[2 * ch], m2 = planeStats[2 * ch + 1];
            for (int b = 1; b < n; b++)
            {
                int pl = b * c + ch;
                double na = (double)b * hw, delta = planeStats[2 * pl] - mu, total = na + hw;
                mu += delta * hw / total;
                m2 += planeStats[2 * pl + 1] + delta * delta * na * hw / total;
            }
            mean[ch] = mu;
            var[ch] = m2 / ((double)n * hw);
        }
    }

    /// <summary>
    /// Stores channel ch's μ and invstd = 1/√(σ² + ε) for the backward and moves the running stats towards the batch's
    /// (the variance unbiased); returns invstd in double.
    /// </summary>
    internal static double SaveStats<T>(int ch, double mean, double var, long m, double momentum, double eps,
        T* saveMean, T* saveInvStd, T* runningMean, T* runningVar) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double invstd = 1.0 / Math.Sqrt(var + eps);
        saveMean[ch] = T.CreateTruncating(mean);
        saveInvStd[ch] = T.CreateTruncating(invstd);
        // Unbiased variance for the running estimate; with a single value (m = 1) it is undefined, so keep the
        // biased one (0) rather than divide by zero.
        double unbiased = m > 1 ? var * m / (m - 1) : var;
        T mom = T.CreateTruncating(momentum), keep = T.CreateTruncating(1.0 - momentum);
        runningMean[ch] = keep * runningMean[ch] + mom * T.CreateTruncating(mean);
        runningVar[ch] = keep * runningVar[ch] + mom * T.CreateTruncating(unbiased);
        return invstd;
    }

    /// <summary>
    /// The backward's per-channel terms from the two sums Σdy and Σdy·(x−μ):
    /// <c>dx = a·dy + bx·(x−μ) + c0</c> with a = γ·invstd, bx = −γ·invstd²·Σ(dy·x̂)/m, c0 = −a·Σdy/m; also dγ, dβ.
    /// </summary>
    internal static (T A, T Bx, T C0) BackwardTerms<T>(int ch, double sdy, double sdyxc, long m, T* gamma, T* saveInvStd, T* dgamma, T* dbeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double invstd = double.CreateTruncating(saveInvStd[ch]);
        double sdyxhat = sdyxc * invstd;
        dgamma[ch] = T.CreateTruncating(sdyxhat);
        dbeta[ch] = T.CreateTruncating(sdy);
        double g = double.CreateTruncating(gamma[ch]);
        double a = g * invstd;
        return (T.CreateTruncating(a), T.CreateTruncating(-g * invstd * invstd * sdyxhat / m), T.CreateTruncating(-a * sdy / m));
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
            double sdy = 0, sdyxc = 0; // Σdy, Σdy·(x−μ)
            for (int b = 0; b < n; b++)
            {
                long off = b * cs + (long)ch * hw;
                VectorOps.SumAndSumProdDev(dy + off, x + off, hw, mean, out double sd, out double sp);
                sdy += sd; sdyxc += sp;
            }
            var (a, bx, c0) = BackwardTerms(ch, sdy, sdyxc, m, gamma, saveInvStd, dgamma, dbeta);
            for (int b = 0; b < n; b++)
            {
                long off = b * cs + (long)ch * hw;
                VectorOps.Affine2Centered(dy + off, x + off, dx + off, hw, a, bx, saveMean[ch], c0);
            }
        });
    }
}
