using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
            MaxForwardPlane(x + pl * ins, y + pl * outs, idx + pl * outs, s));
    }

    /// <summary>Max pooling of one (n, c) plane: <paramref name="xp"/> [H, W] → <paramref name="yp"/>, <paramref name="ip"/> [OH, OW].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxForwardPlane<T>(T* xp, T* yp, int* ip, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = s.OH, ow = s.OW, H = s.H, W = s.W, K = s.K, st = s.Stride, pad = s.Pad;
        if (K == 2 && st == 2 && pad == 0)
        {
            if (typeof(T) == typeof(float) && ow >= 16 && Avx512F.IsSupported)
                MaxForward2x2F32((float*)xp, (float*)yp, ip, oh, ow, W);
            else if (typeof(T) == typeof(float) && Avx512F.IsSupported)
                MaxForward2x2NarrowF32((float*)xp, (float*)yp, ip, oh, ow, W);
            else
                MaxForward2x2Scalar(xp, yp, ip, oh, ow, W);
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
    }

    public static void MaxBackward<T>(CpuParallel par, T* dy, int* idx, T* dx, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long outs = (long)s.OH * s.OW, ins = (long)s.H * s.W;
        par.For(s.N * s.C, s.InputSize >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (pl) =>
            MaxBackwardPlane(dy + pl * outs, idx + pl * outs, dx + pl * ins, s));
    }

    /// <summary>Max-pool backward of one plane: every element of <paramref name="dxp"/> [H, W] is written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxBackwardPlane<T>(T* dyp, int* ip, T* dxp, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outs = s.OH * s.OW, ins = s.H * s.W;
        if (s.K == 2 && s.Stride == 2 && s.Pad == 0 && typeof(T) == typeof(float) && s.OW >= 8 && Avx512F.IsSupported)
        {
            MaxBackward2x2F32((float*)dyp, ip, (float*)dxp, s.OH, s.OW, s.H, s.W);
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
    /// 2×2/2 max-pool of one float plane, 16 outputs per step, branch-free. The scalar loop's data-dependent
    /// comparisons mispredict about half the time on real activations (≈7 ns per output); here 32 input columns of
    /// each row are split into their even and odd columns with one two-source permute each (vpermt2ps), and the four
    /// window positions are merged in scan order with compare + blend on values and flat indices (h·W + w), exactly
    /// the scalar rule: replace when strictly greater, or when the new value is NaN and the maximum is not. A row
    /// whose width is not a multiple of 16 outputs ends with one overlapping vector (outputs recomputed, same values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxForward2x2F32(float* xp, float* yp, int* ip, int oh, int ow, int W)
    {
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var evenSel = iota * 2;      // columns 0, 2, …, 30 of the 32 loaded
        var oddSel = iota * 2 + Vector512<int>.One;
        var twoIota = iota * 2;
        for (int i = 0; i < oh; i++)
        {
            float* r0 = xp + (2 * i) * W, r1 = r0 + W;
            float* yr = yp + i * ow;
            int* ir = ip + i * ow;
            int rowBase = 2 * i * W;
            for (int j = 0; ; j += 16)
            {
                if (j > ow - 16) { if (j == ow) break; j = ow - 16; }
                int w0 = 2 * j;
                var a0 = Vector512.Load(r0 + w0); var a1 = Vector512.Load(r0 + w0 + 16);
                var b0 = Vector512.Load(r1 + w0); var b1 = Vector512.Load(r1 + w0 + 16);
                var best = Avx512F.PermuteVar16x32x2(a0, evenSel, a1);
                var first = Vector512.Create(rowBase + w0) + twoIota; // flat index of each window's top-left input
                var bi = first;
                Take(Avx512F.PermuteVar16x32x2(a0, oddSel, a1), first + Vector512<int>.One, ref best, ref bi);
                var below = first + Vector512.Create(W);
                Take(Avx512F.PermuteVar16x32x2(b0, evenSel, b1), below, ref best, ref bi);
                Take(Avx512F.PermuteVar16x32x2(b0, oddSel, b1), below + Vector512<int>.One, ref best, ref bi);
                Vector512.Store(best, yr + j);
                Vector512.Store(bi, ir + j);
                if (j + 16 == ow) break;
            }
        }

        static void Take(Vector512<float> v, Vector512<int> vi, ref Vector512<float> best, ref Vector512<int> bi)
        {
            var take = Vector512.GreaterThan(v, best) | (~Vector512.Equals(v, v) & Vector512.Equals(best, best));
            best = Vector512.ConditionalSelect(take, v, best);
            bi = Vector512.ConditionalSelect(take.AsInt32(), vi, bi);
        }
    }

    /// <summary>
    /// <see cref="MaxForward2x2F32"/> for planes narrower than 16 outputs (the 14- and 7-wide maps of a 28×28 input),
    /// where the scalar loop's mispredicted comparisons cost ~7 ns per output: one vector per output row, the 2·ow
    /// input columns loaded with masks (lanes past the row read nothing, so the plane's last row never reads past the
    /// buffer) and the ow results stored with a mask. Same scan order and tie/NaN rule.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxForward2x2NarrowF32(float* xp, float* yp, int* ip, int oh, int ow, int W)
    {
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var evenSel = iota * 2;
        var oddSel = iota * 2 + Vector512<int>.One;
        var outputs = Vector512.LessThan(iota, Vector512.Create(ow));
        var low = Vector512.LessThan(iota, Vector512.Create(2 * ow)).AsSingle();          // input columns 0..15
        var high = Vector512.LessThan(iota, Vector512.Create(2 * ow - 16)).AsSingle();    // input columns 16..31
        for (int i = 0; i < oh; i++)
        {
            float* r0 = xp + (2 * i) * W, r1 = r0 + W;
            var a0 = Avx512F.MaskLoad(r0, low, Vector512<float>.Zero);
            var a1 = Avx512F.MaskLoad(r0 + 16, high, Vector512<float>.Zero);
            var b0 = Avx512F.MaskLoad(r1, low, Vector512<float>.Zero);
            var b1 = Avx512F.MaskLoad(r1 + 16, high, Vector512<float>.Zero);
            var best = Avx512F.PermuteVar16x32x2(a0, evenSel, a1);
            var first = Vector512.Create(2 * i * W) + evenSel;
            var bi = first;
            Take(Avx512F.PermuteVar16x32x2(a0, oddSel, a1), first + Vector512<int>.One, ref best, ref bi);
            var below = first + Vector512.Create(W);
            Take(Avx512F.PermuteVar16x32x2(b0, evenSel, b1), below, ref best, ref bi);
            Take(Avx512F.PermuteVar16x32x2(b0, oddSel, b1), below + Vector512<int>.One, ref best, ref bi);
            Avx512F.MaskStore(yp + i * ow, outputs.AsSingle(), best);
            Avx512F.MaskStore(ip + i * ow, outputs, bi);
        }

        static void Take(Vector512<float> v, Vector512<int> vi, ref Vector512<float> best, ref Vector512<int> bi)
        {
            var take = Vector512.GreaterThan(v, best) | (~Vector512.Equals(v, v) & Vector512.Equals(best, best));
            best = Vector512.ConditionalSelect(take, v, best);
            bi = Vector512.ConditionalSelect(take.AsInt32(), vi, bi);
        }
    }

    /// <summary>
    /// <c>xs[o] = xp[ip[o]]</c>: the input value at each window's recorded argmax, for one plane (the fused batch-norm
    /// block's backward needs x there). Scalar loads at data-dependent addresses cost ~2.5 ns each here, so for
    /// float 2×2/2 windows 16 outputs go at once: the two input rows are split into even and odd columns as in the
    /// forward and each lane keeps the one of its four positions that the index names.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GatherAtArgmaxPlane<T>(T* xp, int* ip, T* xs, Pool2dShape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outs = s.OH * s.OW;
        if (s.K == 2 && s.Stride == 2 && s.Pad == 0 && typeof(T) == typeof(float) && s.OW >= 16 && Avx512F.IsSupported)
        {
            GatherAtArgmax2x2F32((float*)xp, ip, (float*)xs, s.OH, s.OW, s.W);
            return;
        }
        for (int o = 0; o < outs; o++) xs[o] = xp[ip[o]];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherAtArgmax2x2F32(float* xp, int* ip, float* xs, int oh, int ow, int W)
    {
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var evenSel = iota * 2;
        var oddSel = evenSel + Vector512<int>.One;
        var right = Vector512<int>.One;
        var below = Vector512.Create(W);
        for (int i = 0; i < oh; i++)
        {
            float* r0 = xp + (2 * i) * W, r1 = r0 + W;
            for (int j = 0; ; j += 16)
            {
                if (j > ow - 16) { if (j == ow) break; j = ow - 16; } // a last overlapping vector, as the forward
                int w0 = 2 * j;
                var a0 = Vector512.Load(r0 + w0); var a1 = Vector512.Load(r0 + w0 + 16);
                var b0 = Vector512.Load(r1 + w0); var b1 = Vector512.Load(r1 + w0 + 16);
                var at = Vector512.Load(ip + i * ow + j) - (Vector512.Create(2 * i * W + w0) + evenSel); // 0, 1, W or W + 1
                var v = Avx512F.PermuteVar16x32x2(a0, evenSel, a1);
                v = Vector512.ConditionalSelect(Vector512.Equals(at, right).AsSingle(), Avx512F.PermuteVar16x32x2(a0, oddSel, a1), v);
                v = Vector512.ConditionalSelect(Vector512.Equals(at, below).AsSingle(), Avx512F.PermuteVar16x32x2(b0, evenSel, b1), v);
                v = Vector512.ConditionalSelect(Vector512.Equals(at, below + right).AsSingle(), Avx512F.PermuteVar16x32x2(b0, oddSel, b1), v);
                Vector512.Store(v, xs + i * ow + j);
            }
        }
    }

    /// <summary>
    /// Backward of the 2×2/2 max-pool for one float plane, written once, without the clear-then-scatter pass: windows
    /// do not overlap, so each input (h, w) inside the pooled area belongs to exactly one window o and
    /// dx[h, w] = (idx[o] == h·W + w) ? dy[o] : 0; a last odd row or column (dropped by floor mode) gets 0. Eight
    /// outputs at a time: dy and idx are duplicated lane-wise (o, o, o+1, o+1, …) and compared with the 16 flat
    /// positions of each of the two input rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxBackward2x2F32(float* dyp, int* ip, float* dxp, int oh, int ow, int H, int W)
    {
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var dup = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
        for (int i = 0; i < oh; i++)
        {
            float* g = dyp + i * ow;
            int* ix = ip + i * ow;
            float* d0 = dxp + (2 * i) * W, d1 = d0 + W;
            var pos0 = Vector512.Create(2 * i * W) + iota;
            var wv = Vector512.Create(W);
            for (int j = 0; ; j += 8)
            {
                if (j > ow - 8) { if (j == ow) break; j = ow - 8; }
                // 8 outputs → 16 input columns; loads of 8 lanes widened to 16 by the duplicating permute.
                var gv = Avx512F.PermuteVar16x32(Vector256.Load(g + j).ToVector512Unsafe(), dup);
                var iv = Avx512F.PermuteVar16x32(Vector256.Load(ix + j).ToVector512Unsafe(), dup);
                var p0 = pos0 + Vector512.Create(2 * j);
                Vector512.Store(Vector512.ConditionalSelect(Vector512.Equals(iv, p0).AsSingle(), gv, Vector512<float>.Zero), d0 + 2 * j);
                Vector512.Store(Vector512.ConditionalSelect(Vector512.Equals(iv, p0 + wv).AsSingle(), gv, Vector512<float>.Zero), d1 + 2 * j);
                if (j + 8 == ow) break;
            }
            if (W > 2 * ow) { d0[W - 1] = 0f; d1[W - 1] = 0f; }
        }
        if (H > 2 * oh) new Span<float>(dxp + (long)(H - 1) * W, W).Clear();
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
