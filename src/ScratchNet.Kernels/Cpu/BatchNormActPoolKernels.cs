using System.Numerics;
using System.Runtime.CompilerServices;

using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// The fused block <c>y = maxpool(act(BN(x)))</c> (pool window P, stride P; P = 1: no pooling), per channel c with
/// m = N·H·W values, x̂ = (x − μ)·invstd and z = γ·x̂ + β:
/// <list type="bullet">
/// <item>forward: μ, σ² as <see cref="BatchNorm2dKernels"/>; <c>g = act(z)</c>; <c>y = max of g over each window</c>
/// with the argmax's flat index h·W + w (first maximum wins);</item>
/// <item>backward: <c>dg = dy</c> at each window's argmax (0 elsewhere), <c>dz = dg·act′(z)</c>, then batch norm's
/// <c>dx = a·dz + bx·(x−μ) + c0</c> from the sums Σdz, Σdz·(x−μ) (<see cref="BatchNorm2dKernels.BackwardTerms"/>).</item>
/// </list>
/// </summary>
/// <remarks>
/// <para>Why fuse: run one after another, the three ops each stream whole activations through memory — batch norm
/// reads x and writes z, the activation reads z and writes g, the pool reads g — and their backward passes do the
/// same in reverse, plus autograd keeps z and g alive. At the seed model's first layer (batch 16, 128×128,
/// 16 channels: 16.8 MB per tensor) that traffic, not arithmetic, is what the CPU waits for. Here the unit of
/// work is one (n, c) plane (at most a few hundred KB): z and g are produced in a per-thread plane buffer that
/// stays in L2 and is pooled straight away, so only x is read and only the pooled y written.</para>
/// <para>The per-plane steps are the unfused kernels themselves (<see cref="VectorOps.AffineCentered{T}"/>,
/// <see cref="ActivationKernels.ForwardRange{T}"/>, <see cref="PoolingKernels.MaxForwardPlane{T}"/>), so the forward
/// gives bit for bit what the three separate ops give.</para>
/// <para>The backward only needs act′ where the pool routes a gradient — one element per window — so it gathers x at
/// the recorded argmax, computes dz there (a quarter of the elements for 2×2 windows) and keeps that pooled dz in
/// a scratch buffer; after the per-channel sums are combined (in plane order: deterministic for any thread count),
/// a second pass scatters dz into a zeroed plane buffer and writes <c>dx = a·dz + bx·(x−μ) + c0</c>. Without pooling
/// (P = 1) dz is written straight into dx and finished in place.</para>
/// </remarks>
internal static unsafe class BatchNormActPoolKernels
{
    public static void ForwardTrain<T>(CpuParallel par, T* x, T* gamma, T* beta, T* y, int* idx, T* saveMean, T* saveInvStd,
        T* runningMean, T* runningVar, BatchNormActPoolShape s, double momentum, double eps, SharedScratch<T> perChannel, SharedScratch<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = s.C;
        var terms = perChannel.Rent(2L * c);
        T* scale = SharedScratch<T>.Ptr(terms), mu = scale + c;
        BatchNorm2dKernels.TrainTerms(par, x, gamma, saveMean, saveInvStd, runningMean, runningVar, s.N, c, s.H * s.W, momentum, eps, sums, scale, mu);
        ApplyPlanes(par, x, beta, y, idx, scale, mu, s);
        perChannel.Return(terms);
    }

    public static void ForwardEval<T>(CpuParallel par, T* x, T* gamma, T* beta, T* runningMean, T* runningVar, T* y,
        BatchNormActPoolShape s, double eps, SharedScratch<T> perChannel) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = s.C;
        var terms = perChannel.Rent(2L * c);
        T* scale = SharedScratch<T>.Ptr(terms), mu = scale + c;
        for (int ch = 0; ch < c; ch++)
        {
            scale[ch] = T.CreateTruncating(double.CreateTruncating(gamma[ch]) / Math.Sqrt(double.CreateTruncating(runningVar[ch]) + eps));
            mu[ch] = runningMean[ch];
        }
        ApplyPlanes(par, x, beta, y, null, scale, mu, s);
        perChannel.Return(terms);
    }

    /// <summary>
    /// Plane by plane: <c>z = scale·(x − μ) + β</c>, <c>g = act(z)</c>, pooled. With P = 1, z and g are computed in y
    /// itself; otherwise in this thread's plane buffer, and the argmax goes to <paramref name="idx"/> (or, in eval
    /// mode where nobody needs it, to a throwaway buffer after the plane).
    /// </summary>
    private static void ApplyPlanes<T>(CpuParallel par, T* x, T* beta, T* y, int* idx, T* scale, T* mu, BatchNormActPoolShape s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = s.C, hw = s.H * s.W, outs = s.OH * s.OW;
        var pool = s.PoolShape;
        par.For(s.N * c, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            int ch = pl % c;
            T* xp = x + (long)pl * hw, yp = y + (long)pl * outs;
            if (s.Pool == 1)
            {
                AffineThenAct(par.Tier, xp, yp, hw, scale[ch], mu[ch], beta[ch], s.Act);
                return;
            }
            T* buf = Scratch<T>.Aux(hw);
            AffineThenAct(par.Tier, xp, buf, hw, scale[ch], mu[ch], beta[ch], s.Act);
            PoolingKernels.MaxForwardPlane(par.Tier, buf, yp, idx != null ? idx + (long)pl * outs : Scratch<int>.Aux(outs), pool);
        });
    }

    /// <summary>
    /// <c>y = act(a·(x − μ) + b)</c> in L1-sized chunks: z is written to y and activated in place while still in L1,
    /// with the very kernels the unfused ops use (so the same bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AffineThenAct<T>(SimdTier tier, T* x, T* y, int n, T a, T mu, T b, Activation act) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Chunk = 2048;
        for (int o = 0; o < n; o += Chunk)
        {
            int len = Math.Min(Chunk, n - o);
            VectorOps.AffineCentered(x + o, y + o, len, a, mu, b);
            ActivationKernels.ForwardRange(tier, act, y + o, y + o, len);
        }
    }

    public static void Backward<T>(CpuParallel par, T* x, T* dy, int* idx, T* gamma, T* beta, T* saveMean, T* saveInvStd,
        T* dx, T* dgamma, T* dbeta, BatchNormActPoolShape s, SharedScratch<T> pooledGrad, SharedScratch<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = s.C, planes = s.N * c, hw = s.H * s.W, outs = s.OH * s.OW;
        long m = (long)s.N * hw;
        bool parallel = s.InputSize >= CpuParallel.MinElementsPerTask;
        var pool = s.PoolShape;
        // Pass 1, per plane: dz where the gradient lands (pooled dz kept in dzAll; P = 1: in dx) and the plane's two sums.
        var sumArray = sums.Rent(2L * planes + 3L * c);
        double* part = SharedScratch<double>.Ptr(sumArray);
        var dzArray = s.Pool > 1 ? pooledGrad.Rent((long)planes * outs) : null;
        T* dzAll = dzArray is null ? null : SharedScratch<T>.Ptr(dzArray);
        par.For(planes, parallel, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            int ch = pl % c;
            T a = T.CreateTruncating(double.CreateTruncating(gamma[ch]) * double.CreateTruncating(saveInvStd[ch]));
            T* xp = x + (long)pl * hw;
            double mean = double.CreateTruncating(saveMean[ch]);
            if (s.Pool == 1)
            {
                T* dxp = dx + (long)pl * hw;
                VectorOps.AffineCentered(xp, dxp, hw, a, saveMean[ch], beta[ch]);       // z
                ActivationKernels.BackwardRange(par.Tier, s.Act, dxp, dy + (long)pl * hw, dxp, hw); // dz = dy·act′(z)
                VectorOps.SumAndSumProdDev(dxp, xp, hw, mean, out part[2 * pl], out part[2 * pl + 1]);
                return;
            }
            int* ip = idx + (long)pl * outs;
            T* xs = Scratch<T>.Aux(2L * outs), zs = xs + outs;
            T* dzp = dzAll + (long)pl * outs;
            PoolingKernels.GatherAtArgmaxPlane(par.Tier, xp, ip, xs, pool);                        // x at each window's argmax
            VectorOps.AffineCentered(xs, zs, outs, a, saveMean[ch], beta[ch]);          // z there
            ActivationKernels.BackwardRange(par.Tier, s.Act, zs, dy + (long)pl * outs, dzp, outs); // dz there
            VectorOps.SumAndSumProdDev(dzp, xs, outs, mean, out part[2 * pl], out part[2 * pl + 1]);
        });
        // The channel sums, images in order; then dγ, dβ and the per-channel terms of dx.
        double* coef = part + 2L * planes;
        for (int ch = 0; ch < c; ch++)
        {
            double sdz = 0, sdzxc = 0;
            for (int b = 0; b < s.N; b++) { sdz += part[2 * (b * c + ch)]; sdzxc += part[2 * (b * c + ch) + 1]; }
            var (a, bx, c0) = BatchNorm2dKernels.BackwardTerms(ch, sdz, sdzxc, m, gamma, saveInvStd, dgamma, dbeta);
            coef[3 * ch] = double.CreateTruncating(a); coef[3 * ch + 1] = double.CreateTruncating(bx); coef[3 * ch + 2] = double.CreateTruncating(c0);
        }
        // Pass 2, per plane: dx = a·dz + bx·(x − μ) + c0, with dz scattered back to the argmax positions first.
        par.For(planes, parallel, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            int ch = pl % c;
            T a = T.CreateTruncating(coef[3 * ch]), bx = T.CreateTruncating(coef[3 * ch + 1]), c0 = T.CreateTruncating(coef[3 * ch + 2]);
            T* xp = x + (long)pl * hw, dxp = dx + (long)pl * hw;
            if (s.Pool == 1)
            {
                VectorOps.Affine2Centered(dxp, xp, dxp, hw, a, bx, saveMean[ch], c0);
                return;
            }
            T* dzPlane = Scratch<T>.Aux(hw);
            PoolingKernels.MaxBackwardPlane(par.Tier, dzAll + (long)pl * outs, idx + (long)pl * outs, dzPlane, pool);
            VectorOps.Affine2Centered(dzPlane, xp, dxp, hw, a, bx, saveMean[ch], c0);
        });
        if (dzArray is not null) pooledGrad.Return(dzArray);
        sums.Return(sumArray);
    }
}
