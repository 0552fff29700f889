using System.Runtime.CompilerServices;
using System.Numerics;
using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Pooling on NCHW planes (floor mode), window K, stride s, padding pad:
/// max <c>y[i,j] = max x[i·s+p−pad, j·s+q−pad]</c> over the window (padding is −∞, so it never wins) with the
/// argmax recorded as h·W + w; average <c>y = Σ x / K²</c> (padding counts as zeros in the divisor, PyTorch's
/// count_include_pad); global average <c>y[r] = Σ x[r,:] / hw</c>. Backward routes dy to the argmax (max),
/// spreads dy/K² over the window (avg), or dy/hw over the row (global).
/// </summary>
/// <remarks>
/// Every (n, c) plane is independent, so planes are the unit of parallel work. The backward passes zero their
/// plane, then add window contributions in row-major output order on one thread: overlapping windows
/// (stride &lt; K) sum deterministically with no atomics. Window bounds are clipped once per output, so the inner
/// loops test no coordinates.
/// </remarks>
internal static unsafe class PoolingKernels
{
    public static void MaxForward<T>(CpuParallel par, T* x, T* y, int* idx, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long ins = (long)s.H * s.W, outs = (long)s.OH * s.OW;
        par.For(s.N * s.C, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
            MaxForwardPlane(par.Tier, x + pl * ins, y + pl * outs, idx + pl * outs, s));
    }

    /// <summary>Max pooling of one (n, c) plane: <paramref name="xp"/> [H, W] → <paramref name="yp"/>, <paramref name="ip"/> [OH, OW].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxForwardPlane<T>(SimdTier tier, T* xp, T* yp, int* ip, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = s.OH, ow = s.OW, H = s.H, W = s.W, K = s.K, st = s.Stride, padT = s.Pad.Top, padL = s.Pad.Left;
        if (typeof(T) == typeof(float) && MaxPool2x2Kernels.Applies(s))
        {
            MaxPool2x2Kernels.Forward(tier, (float*)xp, (float*)yp, ip, oh, ow, W);
            return;
        }
        if (K == 2 && st == 2 && s.Pad == 0)
        {
            MaxForward2x2Scalar(xp, yp, ip, oh, ow, W);
            return;
        }
        for (int i = 0; i < oh; i++)
        {
            int h0 = i * st - padT, hs = Math.Max(h0, 0), he = Math.Min(h0 + K, H);
            for (int j = 0; j < ow; j++)
            {
                int w0 = j * st - padL, ws = Math.Max(w0, 0), we = Math.Min(w0 + K, W);
                T best = T.NegativeInfinity; int bi = -1;
                for (int h = hs; h < he; h++)
                    for (int w = ws; w < we; w++)
                    {
                        T v = xp[h * W + w];
                        // Strict '>' keeps the first maximum; a NaN is taken (PyTorch propagates NaN).
                        if (v > best || bi < 0 || T.IsNaN(v) && !T.IsNaN(best)) { best = v; bi = h * W + w; }
                    }
                yp[i * ow + j] = best; ip[i * ow + j] = bi;
            }
        }
    }

    public static void MaxBackward<T>(CpuParallel par, T* dy, int* idx, T* dx, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long outs = (long)s.OH * s.OW, ins = (long)s.H * s.W;
        par.For(s.N * s.C, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
            MaxBackwardPlane(par.Tier, dy + pl * outs, idx + pl * outs, dx + pl * ins, s));
    }

    /// <summary>Max-pool backward of one plane: every element of <paramref name="dxp"/> [H, W] is written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxBackwardPlane<T>(SimdTier tier, T* dyp, int* ip, T* dxp, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outs = s.OH * s.OW, ins = s.H * s.W;
        if (typeof(T) == typeof(float) && MaxPool2x2Kernels.Applies(s))
        {
            MaxPool2x2Kernels.Backward(tier, (float*)dyp, ip, (float*)dxp, s.OH, s.OW, s.H, s.W);
            return;
        }
        new Span<T>(dxp, ins).Clear();
        for (int o = 0; o < outs; o++) dxp[ip[o]] += dyp[o];
    }

    /// <summary>
    /// The 2×2/2 window: y = max(x[2i, 2j], x[2i, 2j+1], x[2i+1, 2j], x[2i+1, 2j+1]), scanned in that order; a later
    /// value replaces the running maximum only if it is strictly greater, or if it is NaN and the maximum is not
    /// (the first maximum wins, a NaN propagates: the general path's rule, PyTorch's).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxForward2x2Scalar<T>(T* xp, T* yp, int* ip, int oh, int ow, int W) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < oh; i++)
        {
            T* r0 = xp + (2 * i) * W, r1 = r0 + W;
            for (int j = 0; j < ow; j++)
            {
                int w0 = 2 * j, b0 = 2 * i * W + w0;
                T best = r0[w0]; int bi = b0;
                Take(r0[w0 + 1], b0 + 1, ref best, ref bi);
                Take(r1[w0], b0 + W, ref best, ref bi);
                Take(r1[w0 + 1], b0 + W + 1, ref best, ref bi);
                yp[i * ow + j] = best; ip[i * ow + j] = bi;
            }
        }

        static void Take(T v, int vi, ref T best, ref int bi)
        {
            if (v > best || T.IsNaN(v) && !T.IsNaN(best)) { best = v; bi = vi; }
        }
    }

    /// <summary>
    /// <c>xs[o] = xp[ip[o]]</c>: the input value at each window's recorded argmax, for one plane (the fused batch-norm
    /// block's backward needs x there). Scalar loads at data-dependent addresses cost ~2.5 ns each here, so float
    /// 2×2/2 windows go a vector at a time (<see cref="MaxPool2x2Kernels"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GatherAtArgmaxPlane<T>(SimdTier tier, T* xp, int* ip, T* xs, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outs = s.OH * s.OW;
        if (typeof(T) == typeof(float) && MaxPool2x2Kernels.Applies(s))
        {
            MaxPool2x2Kernels.GatherAtArgmax(tier, (float*)xp, ip, (float*)xs, s.OH, s.OW, s.W);
            return;
        }
        for (int o = 0; o < outs; o++) xs[o] = xp[ip[o]];
    }

    public static void AvgForward<T>(CpuParallel par, T* x, T* y, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = s.N * s.C, oh = s.OH, ow = s.OW, H = s.H, W = s.W, K = s.K, st = s.Stride, padT = s.Pad.Top, padL = s.Pad.Left;
        T inv = T.One / T.CreateTruncating(K * K);
        par.For(planes, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            T* xp = x + (long)pl * H * W;
            T* yp = y + (long)pl * oh * ow;
            for (int i = 0; i < oh; i++)
            {
                int h0 = i * st - padT, hs = Math.Max(h0, 0), he = Math.Min(h0 + K, H);
                for (int j = 0; j < ow; j++)
                {
                    int w0 = j * st - padL, ws = Math.Max(w0, 0), we = Math.Min(w0 + K, W);
                    T acc = T.Zero;
                    for (int h = hs; h < he; h++)
                        for (int w = ws; w < we; w++) acc += xp[h * W + w];
                    yp[i * ow + j] = acc * inv;
                }
            }
        });
    }

    public static void AvgBackward<T>(CpuParallel par, T* dy, T* dx, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = s.N * s.C, oh = s.OH, ow = s.OW, H = s.H, W = s.W, K = s.K, st = s.Stride, padT = s.Pad.Top, padL = s.Pad.Left;
        T inv = T.One / T.CreateTruncating(K * K);
        par.For(planes, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            T* dxp = dx + (long)pl * H * W;
            T* dyp = dy + (long)pl * oh * ow;
            new Span<T>(dxp, H * W).Clear();
            for (int i = 0; i < oh; i++)
            {
                int h0 = i * st - padT, hs = Math.Max(h0, 0), he = Math.Min(h0 + K, H);
                for (int j = 0; j < ow; j++)
                {
                    int w0 = j * st - padL, ws = Math.Max(w0, 0), we = Math.Min(w0 + K, W);
                    T g = dyp[i * ow + j] * inv;
                    for (int h = hs; h < he; h++)
                        for (int w = ws; w < we; w++) dxp[h * W + w] += g;
                }
            }
        });
    }

    public static void GlobalAvgForward<T>(CpuParallel par, T* x, T* y, int rows, int hw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        par.For(rows, (long)rows * hw >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r) =>
            y[r] = T.CreateTruncating(VectorOps.Sum(x + (long)r * hw, hw) / hw));
    }

    public static void GlobalAvgBackward<T>(CpuParallel par, T* dy, T* dx, int rows, int hw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T inv = T.One / T.CreateTruncating(hw);
        par.For(rows, (long)rows * hw >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r) =>
            new Span<T>(dx + (long)r * hw, hw).Fill(dy[r] * inv));
    }
}
