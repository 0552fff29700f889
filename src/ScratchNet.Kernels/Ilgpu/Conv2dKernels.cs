using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// 2-D convolution on NCHW data with [OutC, C, KH, KW] weights (PyTorch's Conv2d, dilation 1, groups 1):
/// forward, input gradient, weight gradient. Simple grid-stride kernels (one thread per output element, a
/// gather each) run everywhere; on GPUs the forward and the weight gradient run as implicit GEMMs through the
/// same shared-memory tiling as <see cref="GemmKernels.GemmTiled{T, R}"/>, reading im2col columns straight from
/// x without materialising them.
/// </summary>
internal static class Conv2dKernels
{
    /// <summary>
    /// Forward, one thread per output: <c>y[n,o,i,j] = bias[o] + Σ_c Σ_p Σ_q w[o,c,p,q]·x[n,c,i·s+p−pad, j·s+q−pad]</c>,
    /// out-of-range x reads as 0 (zero padding). Bias is skipped when <paramref name="hasBias"/> = 0.
    /// </summary>
    public static void Conv2dForward<T, R>(ArrayView<T> x, ArrayView<T> w, ArrayView<T> bias, ArrayView<T> y, Conv2dShape s, int hasBias)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int oh = s.OH, ow = s.OW;
        long total = (long)s.N * s.OutC * oh * ow;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            int j = (int)(idx % ow);
            long t = idx / ow;
            int i = (int)(t % oh);
            t /= oh;
            int o = (int)(t % s.OutC);
            long nImg = t / s.OutC;
            T sum = hasBias != 0 ? bias[o] : T.Zero;
            for (int c = 0; c < s.C; c++)
            {
                long xPlane = (nImg * s.C + c) * s.H * s.W;
                long wBase = ((long)o * s.C + c) * s.KH * s.KW;
                for (int p = 0; p < s.KH; p++)
                {
                    int h = i * s.Stride + p - s.Pad.Top;
                    if (h < 0 || h >= s.H) continue;
                    for (int q = 0; q < s.KW; q++)
                    {
                        int ww = j * s.Stride + q - s.Pad.Left;
                        if (ww < 0 || ww >= s.W) continue;
                        sum += w[wBase + p * s.KW + q] * x[xPlane + h * s.W + ww];
                    }
                }
            }
            y[idx] = sum;
        }
    }

    /// <summary>
    /// Input gradient as a gather, one thread per dx element:
    /// <c>dx[n,c,h,w] = Σ_o Σ_p Σ_q w[o,c,p,q]·dy[n,o,i,j]</c> over the (p, q) for which i = (h + pad − p)/s and
    /// j = (w + pad − q)/s are whole numbers inside the output. No atomics: each dx is written exactly once.
    /// </summary>
    public static void Conv2dBackwardInput<T, R>(ArrayView<T> dy, ArrayView<T> w, ArrayView<T> dx, Conv2dShape s)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int oh = s.OH, ow = s.OW;
        long total = (long)s.N * s.C * s.H * s.W;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            int xw = (int)(idx % s.W);
            long t = idx / s.W;
            int xh = (int)(t % s.H);
            t /= s.H;
            int c = (int)(t % s.C);
            long nImg = t / s.C;
            T sum = T.Zero;
            for (int p = 0; p < s.KH; p++)
            {
                int hi = xh + s.Pad.Top - p;
                if (hi < 0 || hi % s.Stride != 0) continue;
                int i = hi / s.Stride;
                if (i >= oh) continue;
                for (int q = 0; q < s.KW; q++)
                {
                    int wj = xw + s.Pad.Left - q;
                    if (wj < 0 || wj % s.Stride != 0) continue;
                    int j = wj / s.Stride;
                    if (j >= ow) continue;
                    for (int o = 0; o < s.OutC; o++)
                        sum += w[(((long)o * s.C + c) * s.KH + p) * s.KW + q] * dy[((nImg * s.OutC + o) * oh + i) * ow + j];
                }
            }
            dx[idx] = sum;
        }
    }

    /// <summary>
    /// Weight gradient, one thread per dw element:
    /// <c>dw[o,c,p,q] = Σ_n Σ_i Σ_j dy[n,o,i,j]·x[n,c,i·s+p−pad, j·s+q−pad]</c>.
    /// </summary>
    public static void Conv2dBackwardWeight<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<T> dw, Conv2dShape s)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int oh = s.OH, ow = s.OW;
        long total = (long)s.OutC * s.C * s.KH * s.KW;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            int q = (int)(idx % s.KW);
            long t = idx / s.KW;
            int p = (int)(t % s.KH);
            t /= s.KH;
            int c = (int)(t % s.C);
            int o = (int)(t / s.C);
            T sum = T.Zero;
            for (int nImg = 0; nImg < s.N; nImg++)
            {
                long xPlane = ((long)nImg * s.C + c) * s.H * s.W;
                long dyPlane = ((long)nImg * s.OutC + o) * oh * ow;
                for (int i = 0; i < oh; i++)
                {
                    int h = i * s.Stride + p - s.Pad.Top;
                    if (h < 0 || h >= s.H) continue;
                    for (int j = 0; j < ow; j++)
                    {
                        int ww = j * s.Stride + q - s.Pad.Left;
                        if (ww < 0 || ww >= s.W) continue;
                        sum += dy[dyPlane + i * ow + j] * x[xPlane + h * s.W + ww];
                    }
                }
            }
            dw[idx] = sum;
        }
    }

    /// <summary>
    /// Forward as an implicit GEMM for GPUs: <c>Y[o, col] = Σ_kk W[o, kk]·X̃[kk, col] + bias[o]</c> with
    /// kk = (c, p, q) over C·KH·KW, col = (n, i, j) over N·OH·OW and <c>X̃[kk, col] = x[n, c, i·s+p−pad, j·s+q−pad]</c>
    /// (the im2col matrix, gathered on the fly into shared memory, zeros for padding). Tiling as
    /// <see cref="GemmKernels.GemmTiled{T, R}"/>: grid (⌈N·OH·OW/64⌉, ⌈OutC/64⌉), groups (16, 16).
    /// </summary>
    public static void Conv2dForwardTiled<T, R>(ArrayView<T> x, ArrayView<T> w, ArrayView<T> bias, ArrayView<T> y, Conv2dShape s, int hasBias)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        const int BM = TileAccumulator<T>.BM, BN = TileAccumulator<T>.BN, BK = TileAccumulator<T>.BK;
        var As = SharedMemory.Allocate<T>(BK * BM);
        var Bs = SharedMemory.Allocate<T>(BK * BN);
        int tx = Group.IdxX, ty = Group.IdxY;
        int tid = ty * TileAccumulator<T>.Threads + tx;
        int row0 = Grid.IdxY * BM, col0 = Grid.IdxX * BN;
        int oh = s.OH, ow = s.OW;
        int ohw = oh * ow;
        int khw = s.KH * s.KW;
        int kTotal = s.C * khw;
        long cols = (long)s.N * ohw;
        var acc = new TileAccumulator<T>();
        for (int k0 = 0; k0 < kTotal; k0 += BK)
        {
            for (int l = 0; l < 4; l++)
            {
                int e = tid + l * 256;
                // W tile: w is [OutC, C·KH·KW] row-major, contiguous along kk.
                int kk = e % BK, r = e / BK;
                int go = row0 + r, gk = k0 + kk;
                As[kk * BM + r] = go < s.OutC && gk < kTotal ? w[(long)go * kTotal + gk] : T.Zero;
                // X̃ tile: consecutive threads take consecutive output pixels (coalesced along a row of x).
                int col = e % BN;
                kk = e / BN;
                Bs[kk * BN + col] = Patch(x, s, k0 + kk, col0 + col, kTotal, cols, khw, ohw, ow);
            }
            Group.Barrier();
            acc.MultiplyTile(As, Bs, tx, ty);
            Group.Barrier();
        }
        for (int rr = 0; rr < 4; rr++)
        {
            int o = row0 + ty + 16 * rr;
            if (o >= s.OutC) continue;
            T b = hasBias != 0 ? bias[o] : T.Zero;
            for (int cc = 0; cc < 4; cc++)
            {
                long col = col0 + tx + 16 * cc;
                if (col >= cols) continue;
                long nImg = col / ohw;
                long pix = col - nImg * ohw;
                y[(nImg * s.OutC + o) * ohw + pix] = acc.Get(rr, cc) + b;
            }
        }
    }

    /// <summary>
    /// Weight gradient as an implicit GEMM for GPUs: <c>dW[o, kk] = Σ_col dY[o, col]·X̃[kk, col]</c>, the reduction
    /// running over col = (n, i, j), with <c>dY[o, col] = dy[n, o, i, j]</c> and X̃ the on-the-fly im2col of
    /// <see cref="Conv2dForwardTiled{T, R}"/>. Grid (⌈C·KH·KW/64⌉, ⌈OutC/64⌉), groups (16, 16).
    /// </summary>
    public static void Conv2dBackwardWeightTiled<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<T> dw, Conv2dShape s)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        const int BM = TileAccumulator<T>.BM, BN = TileAccumulator<T>.BN, BK = TileAccumulator<T>.BK;
        var As = SharedMemory.Allocate<T>(BK * BM);
        var Bs = SharedMemory.Allocate<T>(BK * BN);
        int tx = Group.IdxX, ty = Group.IdxY;
        int tid = ty * TileAccumulator<T>.Threads + tx;
        int row0 = Grid.IdxY * BM, col0 = Grid.IdxX * BN;
        int oh = s.OH, ow = s.OW;
        int ohw = oh * ow;
        int khw = s.KH * s.KW;
        int kTotal = s.C * khw;
        long cols = (long)s.N * ohw;
        var acc = new TileAccumulator<T>();
        for (long k0 = 0; k0 < cols; k0 += BK)
        {
            for (int l = 0; l < 4; l++)
            {
                int e = tid + l * 256;
                // Both tiles are read along the reduction index (output pixels), which is contiguous in dy and x.
                int kk = e % BK, r = e / BK;
                long gcol = k0 + kk;
                int go = row0 + r;
                T a = T.Zero;
                if (go < s.OutC && gcol < cols)
                {
                    long nImg = gcol / ohw;
                    a = dy[(nImg * s.OutC + go) * ohw + (gcol - nImg * ohw)];
                }
                As[kk * BM + r] = a;
                int c = e / BK;
                Bs[kk * BN + c] = Patch(x, s, col0 + c, gcol, kTotal, cols, khw, ohw, ow);
            }
            Group.Barrier();
            acc.MultiplyTile(As, Bs, tx, ty);
            Group.Barrier();
        }
        for (int rr = 0; rr < 4; rr++)
        {
            int o = row0 + ty + 16 * rr;
            if (o >= s.OutC) continue;
            for (int cc = 0; cc < 4; cc++)
            {
                int kk = col0 + tx + 16 * cc;
                if (kk >= kTotal) continue;
                dw[(long)o * kTotal + kk] = acc.Get(rr, cc);
            }
        }
    }

    /// <summary>
    /// The im2col element <c>X̃[kk, col] = x[n, c, i·s+p−pad, j·s+q−pad]</c> with kk = (c, p, q) and col = (n, i, j);
    /// 0 for padding and for indices past the matrix edge.
    /// </summary>
    internal static T Patch<T>(ArrayView<T> x, Conv2dShape s, int kk, long col, int kTotal, long cols, int khw, int ohw, int ow)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kk >= kTotal || col >= cols) return T.Zero;
        int c = kk / khw;
        int rem = kk - c * khw;
        int p = rem / s.KW, q = rem - p * s.KW;
        long nImg = col / ohw;
        int pix = (int)(col - nImg * ohw);
        int i = pix / ow, j = pix - i * ow;
        int h = i * s.Stride + p - s.Pad.Top;
        int w = j * s.Stride + q - s.Pad.Left;
        if (h < 0 || h >= s.H || w < 0 || w >= s.W) return T.Zero;
        return x[((nImg * s.C + c) * s.H + h) * s.W + w];
    }
}
