using System.Runtime.CompilerServices;
using System.Numerics;

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
        int planes = s.N * s.C, oh = s.OH, ow = s.OW, H = s.H, W = s.W, K = s.K, st = s.Stride, pad = s.Pad;
        par.For(planes, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            T* xp = x + (long)pl * H * W;
            T* yp = y + (long)pl * oh * ow;
            int* ip = idx + (long)pl * oh * ow;
            if (K == 2 && st == 2 && pad == 0)
            {
                // The common 2×2/2 case: four loads, first-max-wins by strict comparisons in window order.
                for (int i = 0; i < oh; i++)
                {
                    T* r0 = xp + (2 * i) * W, r1 = r0 + W;
                    for (int j = 0; j < ow; j++)
                    {
                        int w0 = 2 * j;
                        T best = r0[w0]; int bi = 2 * i * W + w0;
                        if (r0[w0 + 1] > best) { best = r0[w0 + 1]; bi = 2 * i * W + w0 + 1; }
                        if (r1[w0] > best) { best = r1[w0]; bi = (2 * i + 1) * W + w0; }
                        if (r1[w0 + 1] > best) { best = r1[w0 + 1]; bi = (2 * i + 1) * W + w0 + 1; }
                        yp[i * ow + j] = best; ip[i * ow + j] = bi;
                    }
                }
                return;
            }
            for (int i = 0; i < oh; i++)
            {
                int h0 = i * st - pad, hs = Math.Max(h0, 0), he = Math.Min(h0 + K, H);
                for (int j = 0; j < ow; j++)
                {
                    int w0 = j * st - pad, ws = Math.Max(w0, 0), we = Math.Min(w0 + K, W);
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
        });
    }

    public static void MaxBackward<T>(CpuParallel par, T* dy, int* idx, T* dx, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = s.N * s.C, outs = s.OH * s.OW, ins = s.H * s.W;
        par.For(planes, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            T* dxp = dx + (long)pl * ins;
            T* dyp = dy + (long)pl * outs;
            int* ip = idx + (long)pl * outs;
            new Span<T>(dxp, ins).Clear();
            for (int o = 0; o < outs; o++) dxp[ip[o]] += dyp[o];
        });
    }

    public static void AvgForward<T>(CpuParallel par, T* x, T* y, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = s.N * s.C, oh = s.OH, ow = s.OW, H = s.H, W = s.W, K = s.K, st = s.Stride, pad = s.Pad;
        T inv = T.One / T.CreateTruncating(K * K);
        par.For(planes, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            T* xp = x + (long)pl * H * W;
            T* yp = y + (long)pl * oh * ow;
            for (int i = 0; i < oh; i++)
            {
                int h0 = i * st - pad, hs = Math.Max(h0, 0), he = Math.Min(h0 + K, H);
                for (int j = 0; j < ow; j++)
                {
                    int w0 = j * st - pad, ws = Math.Max(w0, 0), we = Math.Min(w0 + K, W);
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
        int planes = s.N * s.C, oh = s.OH, ow = s.OW, H = s.H, W = s.W, K = s.K, st = s.Stride, pad = s.Pad;
        T inv = T.One / T.CreateTruncating(K * K);
        par.For(planes, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
        {
            T* dxp = dx + (long)pl * H * W;
            T* dyp = dy + (long)pl * oh * ow;
            new Span<T>(dxp, H * W).Clear();
            for (int i = 0; i < oh; i++)
            {
                int h0 = i * st - pad, hs = Math.Max(h0, 0), he = Math.Min(h0 + K, H);
                for (int j = 0; j < ow; j++)
                {
                    int w0 = j * st - pad, ws = Math.Max(w0, 0), we = Math.Min(w0 + K, W);
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
